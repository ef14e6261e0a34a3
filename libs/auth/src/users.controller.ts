import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { Idempotent } from '@hims/idempotency';
import { Roles } from './decorators';
import {
  CreatedUserDto,
  CreateUserDto,
  ListUsersQuery,
  UpdateUserDto,
  UserDto,
  UserPageDto,
} from './dto/users.dto';
import { InvitationDto } from './dto/invitations.dto';
import { UsersService } from './users.service';
import { TenantRoute } from '@hims/tenancy';

@TenantRoute('users')
@ApiForbiddenResponse({ description: 'The caller is not a tenant_admin' })
@Roles('tenant_admin')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary:
      'Create a staff user with roles and an initial password, or invite them (no password: one-time invitation)',
  })
  @ApiCreatedResponse({ type: CreatedUserDto })
  create(@Body() body: CreateUserDto): Promise<CreatedUserDto> {
    return this.users.create(body);
  }

  @Get()
  @ApiOperation({ summary: "List the clinic's users, ordered by email, with cursor pagination" })
  @ApiOkResponse({ type: UserPageDto })
  list(@Query() query: ListUsersQuery): Promise<UserPageDto> {
    return this.users.list(query.limit ?? 50, query.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Post(':id/password-reset')
  @ApiOperation({
    summary:
      'Issue a one-time password-reset token (72 h) for the user to accept at /api/v1/auth/invitations/accept',
  })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiNotFoundResponse({ description: 'No such user in this clinic' })
  @ApiConflictResponse({ description: 'urn:hims:problem:conflict: the user is disabled' })
  resetPassword(@Param('id', ParseUUIDPipe) id: string): Promise<InvitationDto> {
    return this.users.issuePasswordReset(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's display name or roles, or disable / re-enable them" })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse()
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, body);
  }
}
