import { DatabaseService } from '../../src/database/database.service';
import { getRequest } from './request-helpers';
import type { TestApp } from './test-app';
import type { WorkerContext } from './worker-context';

/**
 * What the worker's notification and message jobs do, run by hand: a test decides when the
 * people a step concerns are told, and reads what they were told.
 */
const db = (t: TestApp) => t.app.get(DatabaseService).manager();

/** Sends the text messages written about a request (a follower's are about their own request). */
export async function sendMessagesOf(t: TestApp, w: WorkerContext, r: { id: string }) {
  const rows = await db(t).query<{ id: string }[]>(
    `SELECT id FROM outbound_messages WHERE request_id = $1 ORDER BY created_at, id`,
    [r.id],
  );
  for (const { id } of rows) await w.messages.send({ messageId: id });
}

/** Runs the notification job of every step of a request not yet told, then its messages. */
export async function deliverSteps(t: TestApp, w: WorkerContext, r: { id: string }) {
  const { version } = await getRequest(t, r.id);
  for (let seq = 1; seq <= version; seq++) await w.notifier.notify({ requestId: r.id, seq });
  await sendMessagesOf(t, w, r);
}

/** Who has which in-app notice about a request: `username kind`, sorted; `role` narrows it. */
export async function toldAbout(t: TestApp, r: { id: string }, role?: string): Promise<string[]> {
  const rows = await db(t).query<{ username: string; kind: string }[]>(
    `SELECT u.username, n.kind FROM notifications n JOIN users u ON u.id = n.user_id
      WHERE n.request_id = $1 AND ($2::text IS NULL OR u.role = $2)`,
    [r.id, role ?? null],
  );
  return rows.map((x) => `${x.username} ${x.kind}`).sort();
}
