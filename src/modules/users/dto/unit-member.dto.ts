import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../../common/auth/role';

/** A member of a unit as the people who dispatch work to it see them. */
export class UnitMemberDto {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'in full for supervisors and admins; masked (138****8000) for dispatchers',
  })
  phone: string | null;
}
