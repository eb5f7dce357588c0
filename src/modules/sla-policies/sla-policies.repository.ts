import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';
import type { Priority } from '../requests/requests.entity';
import type { SlaPolicy } from './sla-defaults';

export interface StoredPolicy extends SlaPolicy {
  categoryId: string;
  categoryCode: string;
  priority: Priority;
  updatedAt: Date;
}

const SELECT = `
  SELECT p.category_id AS "categoryId", c.code AS "categoryCode", p.priority, p.clock, p.accept,
         p.dispatch, p.resolve, p.feedback, p.warn_at AS "warnAt", p.updated_at AS "updatedAt"
    FROM sla_policies p JOIN categories c ON c.id = p.category_id`;

@Injectable()
export class SlaPoliciesRepository {
  constructor(private readonly db: DatabaseService) {}

  list(): Promise<StoredPolicy[]> {
    return this.db.manager().query<StoredPolicy[]>(`${SELECT} ORDER BY c.code, p.priority`);
  }

  async upsert(categoryId: string, priority: Priority, p: SlaPolicy): Promise<void> {
    await this.db.manager().query(
      `INSERT INTO sla_policies (category_id, priority, clock, accept, dispatch, resolve, feedback, warn_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (category_id, priority) DO UPDATE SET clock = $3, accept = $4, dispatch = $5,
         resolve = $6, feedback = $7, warn_at = $8, updated_at = now()`,
      [categoryId, priority, p.clock, p.accept, p.dispatch, p.resolve, p.feedback, p.warnAt],
    );
  }
}
