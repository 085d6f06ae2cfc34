import { sql } from "kysely";
import { appendAudit } from "../audit/append.ts";
import { immediate, type Db } from "../db/handle.ts";
import { errorMessage } from "../errors.ts";
import { toInstant } from "../time.ts";

export const LINK_BATCH = 100;

export interface LinkCleanupOptions {
  now: number;
  /** `job:12`: recorded in the audit log. */
  worker: string;
  batchSize?: number;
  signal?: AbortSignal;
  /** Called between selecting a batch and changing it (tests use it to change a link in between). */
  onBatchSelected?: (ids: readonly number[]) => Promise<void>;
}

export interface LinkCleanupSummary {
  /** Links found expired or used up. */
  selected: number;
  deactivated: number;
  /** Of the deactivated: by expiry, by max views. */
  expired: number;
  maxViews: number;
  /** Changed by someone else since they were selected: left alone (the next run looks again). */
  skipped: number;
  failed: number;
  batches: number;
  failures: Array<{ linkId: number; error: string }>;
}

/** A link is expired from its expires_at on, and used up once its views reach max_views. */
const dueLinks = (now: string) => (db: Db) =>
  db
    .selectFrom("share_link")
    .where("active", "=", 1)
    .where((eb) =>
      eb.or([
        eb.and([eb("expires_at", "is not", null), eb("expires_at", "<=", now)]),
        eb.and([eb("max_views", "is not", null), eb("view_count", ">=", eb.ref("max_views"))]),
      ]),
    );

/**
 * Deactivates expired and used-up share links in batches: each batch is selected, then changed
 * in one transaction where every link is updated only if its version is still the one selected
 * (optimistic check), each with an audit event. A link that fails is rolled back alone.
 */
export async function deactivateLinks(db: Db, o: LinkCleanupOptions): Promise<LinkCleanupSummary> {
  const s: LinkCleanupSummary = { selected: 0, deactivated: 0, expired: 0, maxViews: 0, skipped: 0, failed: 0, batches: 0, failures: [] };
  const nowIso = toInstant(o.now);
  const size = o.batchSize ?? LINK_BATCH;
  let lastId = 0;
  for (;;) {
    o.signal?.throwIfAborted();
    const batch = await dueLinks(nowIso)(db)
      .select(["id", "tenant_id", "version", "expires_at", "max_views", "view_count"])
      .where("id", ">", lastId)
      .orderBy("id")
      .limit(size)
      .execute();
    if (batch.length === 0) break;
    lastId = batch[batch.length - 1]?.id ?? lastId;
    s.selected += batch.length;
    s.batches++;
    await o.onBatchSelected?.(batch.map((l) => l.id));

    await immediate(db, async (trx) => {
      for (const link of batch) {
        const byExpiry = link.expires_at !== null && link.expires_at <= nowIso;
        const reason = byExpiry ? `expired at ${link.expires_at}` : `reached its ${link.max_views} views`;
        await sql`savepoint link_change`.execute(trx);
        try {
          const changed = await trx
            .updateTable("share_link")
            .set({ active: 0, deactivated_at: nowIso, deactivation_reason: reason, version: link.version + 1, updated_at: nowIso })
            .where("id", "=", link.id)
            .where("version", "=", link.version)
            .where("active", "=", 1)
            .executeTakeFirst();
          if (Number(changed.numUpdatedRows) === 0) {
            s.skipped++;
          } else {
            await appendAudit(
              trx,
              [
                {
                  tenantId: link.tenant_id,
                  table: "share_link",
                  rowId: link.id,
                  action: "update",
                  worker: o.worker,
                  old: { active: 1, deactivated_at: null, deactivation_reason: null, version: link.version },
                  new: { active: 0, deactivated_at: nowIso, deactivation_reason: reason, version: link.version + 1 },
                },
              ],
              o.now,
            );
            s.deactivated++;
            if (byExpiry) s.expired++;
            else s.maxViews++;
          }
          await sql`release link_change`.execute(trx);
        } catch (e) {
          await sql`rollback to link_change`.execute(trx);
          await sql`release link_change`.execute(trx);
          s.failed++;
          if (s.failures.length < 100) s.failures.push({ linkId: link.id, error: errorMessage(e) });
        }
      }
    });
    if (batch.length < size) break;
  }
  return s;
}

/** What `deactivateLinks` would do now (for --dry-run): nothing is written. */
export async function countDueLinks(db: Db, now: number): Promise<{ selected: number; expired: number; maxViews: number }> {
  const nowIso = toInstant(now);
  const row = await dueLinks(nowIso)(db)
    .select([
      sql<number>`count(*)`.as("selected"),
      sql<number>`count(case when expires_at is not null and expires_at <= ${nowIso} then 1 end)`.as("expired"),
    ])
    .executeTakeFirstOrThrow();
  return { selected: row.selected, expired: row.expired, maxViews: row.selected - row.expired };
}
