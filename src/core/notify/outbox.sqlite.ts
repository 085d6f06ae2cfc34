// SQLite-specific queries of the notification outbox: which notifications still need one of
// some channels (json_each over the channels and delivered_channels JSON arrays), and the
// delivery of a chunk recorded in one statement.
import { sql } from "kysely";
import type { NotificationRow } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import type { ChannelName } from "./channels.ts";

/** The notification (alias `n`) needs one of `names`: it has the channel and it is not delivered there yet. */
const needsOneOf = (names: readonly ChannelName[]) => sql<boolean>`exists (select 1 from json_each(n.channels) c
  where c.value in (${sql.join([...names])}) and c.value not in (select d.value from json_each(n.delivered_channels) d))`;

/**
 * Pending notifications that still need one of `names`, oldest first; with `dueAt`, only those
 * due then (never tried, or their next attempt has come).
 */
export async function pendingNeeding(
  db: Db,
  names: readonly ChannelName[],
  o: { dueAt: string | null; limit: number },
): Promise<NotificationRow[]> {
  const due = o.dueAt === null ? sql`` : sql`and (n.next_attempt_at is null or n.next_attempt_at <= ${o.dueAt})`;
  const rows = await sql<NotificationRow>`
    select n.* from notification n
    where n.status = 'pending' and ${needsOneOf(names)} ${due}
    order by n.id limit ${o.limit}`.execute(db);
  return rows.rows;
}

/** The earliest retry among pending notifications that still need one of `names`, or null. */
export async function earliestAttemptNeeding(db: Db, names: readonly ChannelName[]): Promise<string | null> {
  const row = await sql<{ next: string | null }>`
    select min(n.next_attempt_at) as next from notification n
    where n.status = 'pending' and ${needsOneOf(names)}`.execute(db);
  return row.rows[0]?.next ?? null;
}

/**
 * Records deliveries in one statement: each notification gets its new delivered channels (and
 * is sent when complete) unless a concurrent deliverer changed it since it was read (`old`).
 * Returns the ids it recorded.
 */
export async function markDelivered(
  db: Db,
  items: ReadonlyArray<{ id: number; old: string; delivered: string; complete: boolean }>,
  nowIso: string,
): Promise<number[]> {
  // The unary + keeps SQLite from driving the join from the status index instead of the ids.
  const taken = await sql<{ id: number }>`
    update notification set delivered_channels = v.value ->> 'delivered',
      status = case when v.value ->> 'complete' then 'sent' else 'pending' end,
      sent_at = case when v.value ->> 'complete' then ${nowIso} else null end
    from json_each(${JSON.stringify(items.map(({ id, old, delivered, complete }) => ({ id, old, delivered, complete })))}) as v
    where notification.id = v.value ->> 'id' and +notification.status = 'pending' and notification.delivered_channels = v.value ->> 'old'
    returning notification.id`.execute(db);
  return taken.rows.map((r) => r.id);
}
