import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { UserDto } from '../../users/dto/user.dto';

export class LoginDto {
  @ApiProperty({ example: 'secretary-1' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'demo1234' })
  @IsString()
  @Length(1, 200)
  password: string;
}

export class LoginResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty() tokenType: 'Bearer';
  @ApiProperty({ description: 'seconds' }) expiresIn: number;
  @ApiProperty({ type: UserDto }) user: UserDto;
}
