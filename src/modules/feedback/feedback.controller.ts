import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators';
import { FeedbackAnswerDto, FeedbackResultDto, FeedbackViewDto } from './dto/feedback.dto';
import { FeedbackService } from './feedback.service';

const TOKEN = {
  name: 'token',
  description: 'the 54-character token of the link sent with the resolution',
};

@ApiTags('feedback')
@Public()
@Controller('feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Get(':token')
  @ApiOperation({ summary: 'What was done, for the resident to rate (no sign-in)' })
  @ApiParam(TOKEN)
  @ApiOkResponse({ type: FeedbackViewDto })
  show(@Param('token') token: string): Promise<FeedbackViewDto> {
    return this.feedback.show(token);
  }

  @Post(':token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm with a rating, or dispute with a comment (no sign-in)' })
  @ApiParam(TOKEN)
  @ApiOkResponse({ type: FeedbackResultDto })
  answer(
    @Param('token') token: string,
    @Body() dto: FeedbackAnswerDto,
  ): Promise<FeedbackResultDto> {
    return this.feedback.answer(token, dto);
  }
}
