// PostgreSQL twin of outbox.sqlite.ts: which notifications still need one of some channels
// (over the channels and delivered_channels jsonb arrays), and the delivery of a chunk recorded
// in one statement.
import { sql } from "kysely";
import type { NotificationRow } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import type { ChannelName } from "./channels.ts";

/** The notification (alias `n`) needs one of `names`: it has the channel and it is not delivered there yet. */
const needsOneOf = (names: readonly ChannelName[]) => sql<boolean>`exists (select 1 from jsonb_array_elements_text(n.channels) c(value)
  where c.value in (${sql.join([...names])}) and not n.delivered_channels @> jsonb_build_array(c.value))`;

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
 * is sent when complete) unless a concurrent deliverer changed it since it was read (`old`, the
 * jsonb text as read: compared as jsonb). Returns the ids it recorded.
 */
export async function markDelivered(
  db: Db,
  items: ReadonlyArray<{ id: number; old: string; delivered: string; complete: boolean }>,
  nowIso: string,
): Promise<number[]> {
  const taken = await sql<{ id: number }>`
    update notification set delivered_channels = v.delivered::jsonb,
      status = case when v.complete then 'sent' else 'pending' end,
      sent_at = case when v.complete then ${nowIso}::timestamptz else null end
    from jsonb_to_recordset(${JSON.stringify(items.map(({ id, old, delivered, complete }) => ({ id, old, delivered, complete })))}::jsonb)
      as v(id bigint, old text, delivered text, complete boolean)
    where notification.id = v.id and notification.status = 'pending' and notification.delivered_channels = v.old::jsonb
    returning notification.id`.execute(db);
  return taken.rows.map((r) => r.id);
}
