import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NoTenant } from '@hims/tenancy';
import { Public } from './decorators';
import { SigningKeyRing } from './signing-keys';

@ApiTags('auth')
@NoTenant()
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeyRing) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'Public keys that verify our access tokens (current and recently retired), by kid',
  })
  @ApiOkResponse({ description: 'RFC 7517 JSON Web Key Set' })
  jwks() {
    return this.keys.jwks();
  }
}
