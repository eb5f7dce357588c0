import { Body, Controller, Get, Headers, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators';
import { type CalendarView, CalendarService } from './calendar.service';

const CALENDAR_SCHEMA = {
  type: 'object',
  properties: {
    workingHours: {
      type: 'array',
      items: { type: 'object', properties: { start: { type: 'string' }, end: { type: 'string' } } },
      example: [
        { start: '08:30', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ],
    },
    weekendDays: { type: 'array', items: { type: 'integer' }, example: [6, 7] },
    holidays: { type: 'array', items: { type: 'string' }, example: ['2026-10-01'] },
    makeupWorkdays: { type: 'array', items: { type: 'string' }, example: ['2026-10-10'] },
  },
};

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get()
  @ApiOperation({ summary: 'The working calendar (Asia/Shanghai)' })
  get(): Promise<CalendarView> {
    return this.calendar.get();
  }

  @Put()
  @Roles('admin')
  @ApiOperation({
    summary: 'Replace parts of the calendar; open working-time clocks are recomputed',
  })
  @ApiBody({ schema: CALENDAR_SCHEMA })
  replace(@Body() body: unknown): Promise<CalendarView> {
    return this.calendar.replace(body);
  }

  @Post('import')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add holidays and make-up working days (调休) from JSON or an iCalendar file',
    description: 'iCalendar events whose summary contains 班 are make-up working days.',
  })
  @ApiConsumes('application/json', 'text/calendar')
  @ApiBody({ schema: CALENDAR_SCHEMA })
  import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<CalendarView> {
    return this.calendar.import(body, contentType ?? 'application/json');
  }
}
