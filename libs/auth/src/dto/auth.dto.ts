import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  // Not format-checked: any wrong email is the same 401 as a wrong password.
  @ApiProperty({ example: 'admin@demo-clinic.local' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  email!: string;

  // Bounded so a huge body cannot make argon2 work on megabytes.
  @ApiProperty({ format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password!: string;
}

export class RefreshTokenDto {
  @ApiProperty({ description: 'The opaque refresh token from login or the previous refresh' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken!: string;
}

export class IntrospectDto {
  @ApiProperty({ description: 'An access token issued by this API' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(8192)
  token!: string;
}

export class TokenPairDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expiresIn!: number;
}

export class IntrospectionDto {
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional() sub?: string;
  @ApiPropertyOptional() tid?: string;
  @ApiPropertyOptional({ type: [String] }) roles?: string[];
  @ApiPropertyOptional({ description: 'Expiry, seconds since the epoch' }) exp?: number;
}

class MeUserDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
}

class MeTenantDto {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
}

export class MeDto {
  @ApiProperty({ type: MeUserDto }) user!: MeUserDto;
  @ApiProperty({ type: MeTenantDto }) tenant!: MeTenantDto;
  @ApiProperty({ type: [String] }) roles!: string[];
}
