import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_TEXT_LENGTH } from '../../../../workflows';

export class FeedbackViewDto {
  @ApiProperty({ example: 'XX-2026-000042' }) reference: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'what was done' }) resolution: string;
  @ApiProperty({ description: 'the unit that resolved it' }) resolvedByUnit: string;
  @ApiProperty({ nullable: true, type: String, description: 'the person who resolved it' })
  resolvedByPerson: string | null;
  @ApiProperty() resolvedAt: string;
  @ApiProperty({ description: 'after this the link no longer works' }) expiresAt: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'the original this request was merged into: its result is rated here, with a rating only',
  })
  mergedInto: string | null;
}

/** A rating confirms the resolution; a comment alone disputes it. */
export class FeedbackAnswerDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 5, description: '1–5 stars: confirms' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;

  @ApiPropertyOptional({
    maxLength: MAX_TEXT_LENGTH,
    description: 'with a rating: a remark; without one: why it is not solved (disputes)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH)
  @Matches(/\S/, { message: 'comment must not be blank' })
  comment?: string;
}

export class FeedbackResultDto {
  @ApiProperty({ enum: ['confirmed', 'disputed'] }) outcome: 'confirmed' | 'disputed';
  @ApiProperty() reference: string;
}
