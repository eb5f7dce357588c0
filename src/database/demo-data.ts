import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../common/auth/passwords';
import type { Role } from '../common/auth/role';
import { PRIORITIES } from '../modules/requests/requests.entity';
import { defaultPolicy } from '../modules/sla-policies/sla-defaults';
import type { UnitType } from '../modules/units/units.entity';

interface DemoUnit {
  code: string;
  name: string;
  type: UnitType;
  parent?: string;
  refPrefix?: string;
  /** A town's area: WGS-84 centre and radius in metres. */
  area?: { latitude: number; longitude: number; radiusM: number };
}

const UNITS: DemoUnit[] = [
  { code: 'yinzhou', name: '鄞州区', type: 'county' },
  {
    code: 'xianxiang',
    name: '咸祥镇',
    type: 'town',
    parent: 'yinzhou',
    refPrefix: 'XX',
    // On the north shore of Xiangshan Bay: the sea is a few kilometres east and south.
    area: { latitude: 29.715, longitude: 121.74, radiusM: 10_000 },
  },
  { code: 'branch-1', name: '咸一村', type: 'branch', parent: 'xianxiang' },
  { code: 'branch-2', name: '咸二村', type: 'branch', parent: 'xianxiang' },
  { code: 'branch-3', name: '南头社区', type: 'branch', parent: 'xianxiang' },
  { code: 'dept-roads', name: '交通办', type: 'department', parent: 'xianxiang' },
  { code: 'dept-environment', name: '环境办', type: 'department', parent: 'xianxiang' },
  { code: 'dept-civil', name: '民政办', type: 'department', parent: 'xianxiang' },
];

const USERS: { username: string; name: string; role: Role; unit: string; phone?: string }[] = [
  { username: 'admin', name: '系统管理员', role: 'admin', unit: 'yinzhou' },
  { username: 'county-supervisor', name: '区督查室', role: 'supervisor', unit: 'yinzhou' },
  { username: 'town-supervisor', name: '镇督查办', role: 'supervisor', unit: 'xianxiang' },
  { username: 'dispatcher', name: '镇党委办', role: 'dispatcher', unit: 'xianxiang' },
  { username: 'secretary-1', name: '张书记', role: 'secretary', unit: 'branch-1' },
  { username: 'secretary-2', name: '李书记', role: 'secretary', unit: 'branch-2' },
  { username: 'secretary-3', name: '王书记', role: 'secretary', unit: 'branch-3' },
  { username: 'roads-officer', name: '交通办陈主任', role: 'assignee', unit: 'dept-roads' },
  { username: 'env-officer', name: '环境办周主任', role: 'assignee', unit: 'dept-environment' },
  {
    username: 'resident-1',
    name: '赵大爷',
    role: 'resident',
    unit: 'branch-1',
    phone: '13800000001',
  },
  {
    username: 'resident-2',
    name: '钱阿姨',
    role: 'resident',
    unit: 'branch-1',
    phone: '13800000002',
  },
  {
    username: 'resident-3',
    name: '孙师傅',
    role: 'resident',
    unit: 'branch-2',
    phone: '13800000003',
  },
  {
    username: 'resident-4',
    name: '李老师',
    role: 'resident',
    unit: 'branch-2',
    phone: '13800000004',
  },
  {
    username: 'resident-5',
    name: '周奶奶',
    role: 'resident',
    unit: 'branch-3',
    phone: '13800000005',
  },
  {
    username: 'resident-6',
    name: '吴先生',
    role: 'resident',
    unit: 'branch-3',
    phone: '13800000006',
  },
];

/** Roads and sanitation need a photo of the work done to resolve (migration 1764700000000). */
const CATEGORIES: { code: string; name: string; nameEn: string; evidenceRequired?: true }[] = [
  { code: 'roads', name: '道路交通', nameEn: 'Roads', evidenceRequired: true },
  { code: 'sewage', name: '污水排放', nameEn: 'Sewage' },
  { code: 'sanitation', name: '环境卫生', nameEn: 'Sanitation', evidenceRequired: true },
  { code: 'parking', name: '停车难', nameEn: 'Parking' },
  { code: 'elderly-care', name: '养老助餐', nameEn: 'Elderly care' },
  { code: 'childcare', name: '托育看护', nameEn: 'Childcare' },
  { code: 'utilities', name: '水电气暖', nameEn: 'Utilities' },
  { code: 'dispute', name: '矛盾纠纷', nameEn: 'Disputes' },
  { code: 'other', name: '其他', nameEn: 'Other' },
  // Seconds-long limits, so a demo shows a request escalating by itself within a minute.
  { code: 'drill', name: '演练（秒级时限）', nameEn: 'Drill (limits in seconds)' },
];

const DRILL_POLICY = {
  clock: '24x7' as const,
  accept: 'PT20S',
  dispatch: 'PT20S',
  resolve: 'PT5M',
  feedback: 'PT2M',
  warnAt: [0.5],
};

/** Every demo account's username. */
export const DEMO_USERNAMES: readonly string[] = USERS.map((u) => u.username);

/**
 * Loads the demo town. The password policy of the API does not apply: the demo password is
 * meant to be typed in a hurry. Idempotent: what exists is left as it is (passwords included), so running
 * it again never undoes an admin's changes.
 */
export async function seedDemo(dataSource: DataSource, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await dataSource.transaction(async (tx) => {
    for (const unit of UNITS) {
      const [parent] = unit.parent
        ? await tx.query<{ id: string; path: string }[]>(
            `SELECT id, path FROM units WHERE code = $1`,
            [unit.parent],
          )
        : [{ id: null, path: '/' }];
      const id = randomUUID();
      await tx.query(
        `INSERT INTO units (id, code, name, type, parent_id, path, ref_prefix, area_latitude,
                            area_longitude, area_radius_m)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (code) DO NOTHING`,
        [
          id,
          unit.code,
          unit.name,
          unit.type,
          parent.id,
          `${parent.path}${id}/`,
          unit.refPrefix ?? null,
          unit.area?.latitude ?? null,
          unit.area?.longitude ?? null,
          unit.area?.radiusM ?? null,
        ],
      );
    }
    for (const user of USERS) {
      await tx.query(
        `INSERT INTO users (username, display_name, password_hash, role, unit_id, phone)
         SELECT $1, $2, $3, $4, id, $6 FROM units WHERE code = $5
         ON CONFLICT (username) DO NOTHING`,
        [user.username, user.name, hash, user.role, user.unit, user.phone ?? null],
      );
    }
    for (const c of CATEGORIES) {
      await tx.query(
        `INSERT INTO categories (code, name, name_en, evidence_required) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO NOTHING`,
        [c.code, c.name, c.nameEn, c.evidenceRequired ?? false],
      );
      for (const priority of PRIORITIES) {
        const p = c.code === 'drill' ? DRILL_POLICY : defaultPolicy(c.code, priority);
        await tx.query(
          `INSERT INTO sla_policies (category_id, priority, clock, accept, dispatch, resolve, feedback, warn_at)
           SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM categories WHERE code = $1
           ON CONFLICT (category_id, priority) DO NOTHING`,
          [c.code, priority, p.clock, p.accept, p.dispatch, p.resolve, p.feedback, p.warnAt],
        );
      }
    }
  });
}
