import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ROLES, type Role } from '../../../common/auth/role';
import type { UserEntity } from '../users.entity';

export const PHONE = /^\+?[0-9][0-9 -]{4,19}$/;

const PASSWORD_RULES =
  'At least 10 characters, not one of the most common passwords, not the username (else 400 USER.WEAK_PASSWORD).';

export class CreateUserDto {
  @ApiProperty({ example: 'secretary-4' })
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, {
    message: 'username must be 2–64 lower-case letters, digits, dots, dashes or underscores',
  })
  username: string;

  @ApiProperty({ example: '王书记' })
  @IsString()
  @Length(1, 100)
  displayName: string;

  @ApiProperty({ minLength: 10, maxLength: 200, description: PASSWORD_RULES })
  @IsString()
  @Length(1, 200)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty()
  @IsUUID()
  unitId: string;

  @ApiPropertyOptional({ example: '13800138000' })
  @IsOptional()
  @Matches(PHONE, { message: 'phone must be a phone number' })
  phone?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({
    minLength: 10,
    maxLength: 200,
    description: `${PASSWORD_RULES} Ends every session of the user.`,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  password?: string;

  @ApiPropertyOptional({ enum: ROLES, description: 'Ends every session of the user.' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'Ends every session of the user.' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(PHONE, { message: 'phone must be a phone number' })
  phone?: string;

  @ApiPropertyOptional({ description: 'false ends every session of the user.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListUsersQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  unitId?: string;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() unitId: string;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty() active: boolean;

  static from(u: UserEntity): UserDto {
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      unitId: u.unitId,
      phone: u.phone,
      active: u.active,
    };
  }
}
