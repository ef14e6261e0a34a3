import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import {
  IsNotCommonPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_TOO_SHORT,
} from '../password-policy';

export class AcceptInvitationDto {
  @ApiProperty({
    description: 'The invitation token returned once when the user was created (43 base64url characters)',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be 43 base64url characters' })
  token!: string;

  @ApiProperty({
    format: 'password',
    description: '12 to 128 characters, not the email, not a commonly used password',
  })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: PASSWORD_TOO_SHORT })
  @MaxLength(PASSWORD_MAX_LENGTH)
  @IsNotCommonPassword()
  password!: string;
}

export class InvitationDto {
  @ApiProperty({
    description: 'One-time secret for POST /api/v1/auth/invitations/accept; shown only in this answer',
  })
  token!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}
