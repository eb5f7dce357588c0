import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, Max, Min } from 'class-validator';
import { COORDINATE_SYSTEMS, type CoordinateSystem } from './coordinates';

const FINITE = { allowNaN: false, allowInfinity: false };

/** A point as a caller gives it: in the system their map or device uses, said which. */
export class PointDto {
  @ApiProperty({ example: 29.7352, minimum: -90, maximum: 90, description: 'degrees north' })
  @IsNumber(FINITE)
  @Min(-90)
  @Max(90)
  latitude: number;

  @ApiProperty({ example: 121.7461, minimum: -180, maximum: 180, description: 'degrees east' })
  @IsNumber(FINITE)
  @Min(-180)
  @Max(180)
  longitude: number;

  @ApiProperty({
    enum: COORDINATE_SYSTEMS,
    description:
      'gcj02: from a phone or a Chinese map (Amap, Tencent); wgs84: from GPS or an Open311 client. Stored as WGS-84.',
  })
  @IsIn(COORDINATE_SYSTEMS)
  coordinateSystem: CoordinateSystem;
}

/** A town's area: a centre and how far the town reaches from it. */
export class AreaDto extends PointDto {
  @ApiProperty({ example: 8000, minimum: 100, maximum: 200_000, description: 'metres' })
  @IsInt()
  @Min(100)
  @Max(200_000)
  radiusM: number;
}

/** A stored point, always WGS-84. */
export class StoredPointDto {
  @ApiProperty() latitude: number;
  @ApiProperty() longitude: number;
  @ApiProperty({ enum: COORDINATE_SYSTEMS, description: 'the system it was given in' })
  givenAs: CoordinateSystem;
}

export class StoredAreaDto {
  @ApiProperty({ description: 'WGS-84' }) latitude: number;
  @ApiProperty({ description: 'WGS-84' }) longitude: number;
  @ApiProperty({ description: 'metres' }) radiusM: number;
}
