import { ApiProperty } from '@nestjs/swagger';

export class WorkingPeriodDto {
  @ApiProperty({ example: '08:30' }) start: string;
  @ApiProperty({ example: '12:00' }) end: string;
}

/** What everyone may read: enough to show due times and office hours. */
export class CalendarSummaryDto {
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ type: [WorkingPeriodDto] }) workingHours: WorkingPeriodDto[];
  @ApiProperty({ type: [Number], example: [6, 7], description: 'ISO weekdays, 1 = Monday' })
  weekendDays: number[];
  @ApiProperty({
    type: [String],
    example: ['2026-10-01'],
    description: 'for non-admins only this year’s and next year’s',
  })
  holidays: string[];
  @ApiProperty({
    type: [String],
    example: ['2026-10-10'],
    description: 'make-up working days (调休); for non-admins only this year’s and next year’s',
  })
  makeupWorkdays: string[];
}

/** The whole calendar, for admins. */
export class CalendarDto extends CalendarSummaryDto {
  @ApiProperty({ description: 'grows by one with every edit' }) version: number;
}
