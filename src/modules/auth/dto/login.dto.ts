import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { UserDto } from '../../users/dto/user.dto';

export class LoginDto {
  @ApiProperty({ example: 'secretary-1', maxLength: 64 })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'demo1234', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  password: string;
}

/** 256 random bits, base64url: 43 characters. */
const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class RefreshTokenDto {
  @ApiProperty({
    description: 'The refresh token of the latest sign-in or refresh',
    pattern: REFRESH_TOKEN.source,
  })
  @IsString()
  @Matches(REFRESH_TOKEN, { message: 'refreshToken must be a refresh token' })
  refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  currentPassword: string;

  @ApiProperty({
    minLength: 10,
    maxLength: 200,
    description:
      'At least 10 characters, not one of the most common passwords, not the username (else 400 USER.WEAK_PASSWORD).',
  })
  @IsString()
  @Length(1, 200)
  newPassword: string;
}

export class SessionDto {
  @ApiProperty({ description: 'Bearer token for every other call; short-lived' })
  accessToken: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Lifetime of the access token, in seconds', example: 900 })
  expiresIn: number;

  @ApiProperty({
    description:
      'Opaque, single-use: POST it to /auth/refresh for a new pair before it expires. Presenting a used one ends the session.',
  })
  refreshToken: string;

  @ApiProperty({ description: 'Lifetime of the refresh token, in seconds', example: 43200 })
  refreshExpiresIn: number;
}

export class LoginResponseDto extends SessionDto {
  @ApiProperty({ type: UserDto }) user: UserDto;
}
