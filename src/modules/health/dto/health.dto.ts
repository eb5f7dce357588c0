import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CheckDto {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiPropertyOptional({ description: 'why it is down' }) error?: string;
}

export class HealthChecksDto {
  @ApiProperty({ type: CheckDto }) postgres: CheckDto;
  @ApiProperty({ type: CheckDto }) redis: CheckDto;
  @ApiProperty({ type: CheckDto, description: 'down: no worker heartbeat in 15 s' })
  worker: CheckDto;
}

export class WorkerBeatDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'the last heartbeat, as the worker wrote it' }) lastBeat: string;
}

export class HealthDto {
  @ApiProperty({
    enum: ['ok', 'degraded', 'down'],
    description: 'degraded: Postgres and Redis answer but no worker does, so deadlines stall',
  })
  status: 'ok' | 'degraded' | 'down';
  @ApiProperty({ type: HealthChecksDto }) checks: HealthChecksDto;
  @ApiProperty({ type: WorkerBeatDto, isArray: true }) workers: WorkerBeatDto[];
}
