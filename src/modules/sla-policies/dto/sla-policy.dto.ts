import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsString, Max, Min } from 'class-validator';
import { PRIORITIES } from '../../requests/requests.entity';

export class PutSlaPolicyDto {
  @ApiProperty({ enum: ['24x7', 'working'], description: 'working: only working time counts' })
  @IsIn(['24x7', 'working'])
  clock: '24x7' | 'working';

  @ApiProperty({ example: 'PT2H', description: 'ISO-8601 duration to accept or reject' })
  @IsString()
  accept: string;

  @ApiProperty({ example: 'PT2H', description: 'to dispatch once escalated, per level' })
  @IsString()
  dispatch: string;

  @ApiProperty({ example: 'PT24H', description: 'to resolve, counted from submission' })
  @IsString()
  resolve: string;

  @ApiProperty({ example: 'P3D', description: 'feedback window after resolution (always 24x7)' })
  @IsString()
  feedback: string;

  @ApiProperty({
    type: [Number],
    example: [0.5, 0.8],
    description: 'fractions of each limit at which to warn',
  })
  @IsArray()
  @ArrayMaxSize(5)
  @IsNumber({}, { each: true })
  @Min(0.01, { each: true })
  @Max(0.99, { each: true })
  warnAt: number[];
}

export class SlaPolicyDto extends PutSlaPolicyDto {
  @ApiProperty() category: string;
  @ApiProperty({ enum: PRIORITIES }) priority: string;
  @ApiProperty({ description: 'false: no row stored, the built-in default applies' })
  stored: boolean;
}
