import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, Public } from '../../common/auth/auth.decorators';
import type { Actor } from '../../common/auth/role';
import { UserDto } from '../users/dto/user.dto';
import { AuthService, type Session } from './auth.service';
import {
  ChangePasswordDto,
  LoginDto,
  LoginResponseDto,
  RefreshTokenDto,
  SessionDto,
} from './dto/login.dto';

/** The client's address as Express sees it (`trust proxy` is loopback). */
const addressOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

const sessionDto = (s: Session): SessionDto => ({
  accessToken: s.accessToken,
  tokenType: 'Bearer',
  expiresIn: s.expiresIn,
  refreshToken: s.refreshToken,
  refreshExpiresIn: s.refreshExpiresIn,
});

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Exchange a username and password for an access token and a refresh token',
    description:
      'After LOGIN_MAX_FAILURES_PER_ACCOUNT failures for one account, or LOGIN_MAX_FAILURES_PER_ADDRESS from one address, within LOGIN_WINDOW_SECONDS, answers 429 AUTH.TOO_MANY_ATTEMPTS with Retry-After, even for the right password.',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  async login(@Body() dto: LoginDto, @Req() req: Request): Promise<LoginResponseDto> {
    const { user, ...session } = await this.auth.login(dto.username, dto.password, addressOf(req));
    return { ...sessionDto(session), user: UserDto.from(user) };
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Use a refresh token up for a new access token and refresh token',
    description:
      'A refresh token works once. Presenting one that was already used revokes its whole session (theft detection) and answers 401 AUTH.INVALID_TOKEN.',
  })
  @ApiOkResponse({ type: SessionDto })
  async refresh(@Body() dto: RefreshTokenDto): Promise<SessionDto> {
    return sessionDto(await this.auth.refresh(dto.refreshToken));
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the session a refresh token belongs to',
    description:
      'Its refresh tokens stop working at once; an access token already issued lives until it expires (JWT_EXPIRES_IN).',
  })
  @ApiNoContentResponse({ description: 'The session is ended (or was unknown)' })
  async logout(@Body() dto: RefreshTokenDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }

  @Post('password')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change your own password',
    description:
      'Needs the current password (a wrong one answers 403 AUTH.WRONG_PASSWORD and counts as a failed sign-in). Ends every session of the account, this one included, and answers with new tokens.',
  })
  @ApiOkResponse({ type: SessionDto })
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() dto: ChangePasswordDto,
    @Req() req: Request,
  ): Promise<SessionDto> {
    return sessionDto(
      await this.auth.changePassword(actor, dto.currentPassword, dto.newPassword, addressOf(req)),
    );
  }
}
