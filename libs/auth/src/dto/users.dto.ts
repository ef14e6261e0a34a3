import { PageLimit } from '@hims/errors';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ALL_ROLES } from '../roles';
import { InvitationDto } from './invitations.dto';
import {
  IsNotCommonPassword,
  IsNotEmail,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_TOO_SHORT,
} from '../password-policy';

export class CreateUserDto {
  @ApiProperty({ example: 'dr.rao@clinic.example' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'Dr. Anika Rao' })
  @IsString()
  @Matches(/\S/, { message: 'displayName must not be blank' })
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ enum: ALL_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ALL_ROLES.length)
  @IsIn(ALL_ROLES, { each: true })
  roles!: string[];

  @ApiPropertyOptional({
    format: 'password',
    description:
      'Initial password: 12 to 128 characters, not the email, not a commonly used password. Omit it to invite the user (the answer carries a one-time invitation valid 72 h) or for users who sign in only through the clinic identity provider.',
  })
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: PASSWORD_TOO_SHORT })
  @MaxLength(PASSWORD_MAX_LENGTH)
  @IsNotEmail('email')
  @IsNotCommonPassword()
  password?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'displayName must not be blank' })
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ enum: ALL_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ALL_ROLES.length)
  @IsIn(ALL_ROLES, { each: true })
  roles?: string[];

  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}

export class ListUsersQuery {
  @PageLimit(50)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  cursor?: string;
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: 'active' | 'disabled';
  @ApiProperty({ enum: ALL_ROLES, isArray: true }) roles!: string[];
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreatedUserDto extends UserDto {
  @ApiPropertyOptional({
    type: InvitationDto,
    description: 'Present when no password was given: the one-time invitation',
  })
  invitation?: InvitationDto;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
