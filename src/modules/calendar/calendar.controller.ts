import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/auth/auth.decorators';
import type { Actor } from '../../common/auth/role';
import { CALENDAR_YEARS, MAX_CALENDAR_DATES } from './calendar-limits';
import { CalendarService, type DateList } from './calendar.service';
import { CalendarDto, CalendarSummaryDto } from './dto/calendar.dto';

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

const LIMITS = `Holidays and make-up days must lie within ${CALENDAR_YEARS} years of today either side; the calendar holds at most ${MAX_CALENDAR_DATES} of them together, and must leave a working weekday, working hours and a working day at least once a year. No date may be both a holiday and a make-up day, and a make-up day must be a weekend day (else 400 CALENDAR.INVALID).`;

const DATE_PARAM = ApiParam({
  name: 'date',
  example: '2026-10-01',
  description: 'YYYY-MM-DD, a local date in Asia/Shanghai',
});

/** One date added to or removed from a list; open working-time clocks are recomputed. */
function singleDate(action: 'add' | 'remove', list: DateList) {
  const what = list === 'holidays' ? 'a holiday' : 'a make-up working day (调休)';
  return ApiOperation({
    summary:
      action === 'add'
        ? `Add ${what}, keeping every other date`
        : `Remove ${what}, keeping every other date`,
    description:
      action === 'add'
        ? `Adding a date already there changes nothing. ${LIMITS}`
        : '404 CALENDAR.DATE_NOT_FOUND when the date is not in the list.',
  });
}

@ApiTags('calendar')
@ApiBearerAuth()
@ApiExtraModels(CalendarDto, CalendarSummaryDto)
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get()
  @ApiOperation({
    summary: 'The working calendar (Asia/Shanghai)',
    description:
      'Admins get all of it (CalendarDto). Everyone else gets the time zone, working hours, weekend days and the holidays and make-up days of this year and next (CalendarSummaryDto).',
  })
  @ApiOkResponse({
    schema: {
      oneOf: [{ $ref: getSchemaPath(CalendarDto) }, { $ref: getSchemaPath(CalendarSummaryDto) }],
    },
  })
  get(@CurrentActor() actor: Actor): Promise<CalendarDto | CalendarSummaryDto> {
    return this.calendar.view(actor);
  }

  @Put()
  @Roles('admin')
  @ApiOperation({
    summary: 'Replace parts of the calendar; open working-time clocks are recomputed',
    description: LIMITS,
  })
  @ApiBody({ schema: CALENDAR_SCHEMA })
  @ApiOkResponse({ type: CalendarDto })
  replace(@Body() body: unknown): Promise<CalendarDto> {
    return this.calendar.replace(body);
  }

  @Put('holidays/:date')
  @Roles('admin')
  @singleDate('add', 'holidays')
  @DATE_PARAM
  @ApiOkResponse({ type: CalendarDto })
  addHoliday(@Param('date') date: string): Promise<CalendarDto> {
    return this.calendar.addDate('holidays', date);
  }

  @Delete('holidays/:date')
  @Roles('admin')
  @singleDate('remove', 'holidays')
  @DATE_PARAM
  @ApiOkResponse({ type: CalendarDto })
  removeHoliday(@Param('date') date: string): Promise<CalendarDto> {
    return this.calendar.removeDate('holidays', date);
  }

  @Put('makeup-workdays/:date')
  @Roles('admin')
  @singleDate('add', 'makeupWorkdays')
  @DATE_PARAM
  @ApiOkResponse({ type: CalendarDto })
  addMakeupWorkday(@Param('date') date: string): Promise<CalendarDto> {
    return this.calendar.addDate('makeupWorkdays', date);
  }

  @Delete('makeup-workdays/:date')
  @Roles('admin')
  @singleDate('remove', 'makeupWorkdays')
  @DATE_PARAM
  @ApiOkResponse({ type: CalendarDto })
  removeMakeupWorkday(@Param('date') date: string): Promise<CalendarDto> {
    return this.calendar.removeDate('makeupWorkdays', date);
  }

  @Post('import')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add holidays and make-up working days (调休) from JSON or an iCalendar file',
    description: `iCalendar events whose summary contains 班 are make-up working days. RRULE (FREQ, INTERVAL, COUNT, UNTIL) is expanded within the window, EXDATE honoured; BY… parts and RDATE are refused. ${LIMITS}`,
  })
  @ApiConsumes('application/json', 'text/calendar')
  @ApiBody({ schema: CALENDAR_SCHEMA })
  @ApiOkResponse({ type: CalendarDto })
  import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<CalendarDto> {
    return this.calendar.import(body, contentType ?? 'application/json');
  }
}
