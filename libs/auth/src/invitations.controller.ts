import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from './decorators';
import { AcceptInvitationDto } from './dto/invitations.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('auth')
@Controller('api/v1/auth/invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('accept')
  @Public()
  @HttpCode(204)
  @ApiHeader({ name: 'X-Tenant-ID', required: true, description: 'The clinic (tenant) id' })
  @ApiOperation({
    summary: 'Accept a one-time invitation by choosing a password (ends the user’s other sessions)',
  })
  @ApiNoContentResponse({ description: 'The password is set; sign in with POST /api/v1/auth/login' })
  @ApiBadRequestResponse({
    description: 'urn:hims:problem:validation-failed: a password rule is broken (one field message per rule)',
  })
  @ApiUnauthorizedResponse({
    description: 'urn:hims:problem:unauthenticated: the invitation is invalid, expired or already used',
  })
  async accept(@Body() body: AcceptInvitationDto): Promise<void> {
    await this.invitations.accept(body.token, body.password);
  }
}
