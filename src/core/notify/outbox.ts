import type { NotificationStatus } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import { retryPolicy, type RetryPolicy } from "../queue/backoff.ts";
import { bringForwardOrEnqueue } from "../queue/enqueue.ts";
import { toInstant } from "../time.ts";
import type { JsonValue } from "../types.ts";
import type { ChannelName } from "./channels.ts";
import * as postgres from "./outbox.postgres.ts";
import * as sqlite from "./outbox.sqlite.ts";
import { byDialect } from "../db/dialect.ts";

/** The job type that delivers the outbox in the background (see jobs/notify-deliver.ts). */
export const DELIVER_JOB_TYPE = "notify.deliver";
export const DELIVER_JOB_ATTEMPTS = 3;

/** Channels delivered in the background by the notify.deliver job (output is printed by commands). */
export const BACKGROUND_CHANNELS: readonly ChannelName[] = ["webhook", "email"];

/** Retries of a notification whose delivery failed: about 30 s, 2 min, 10 min, 30 min, 2 h; then failed. */
export const NOTIFY_RETRY: RetryPolicy = retryPolicy({
  maxAttempts: 6,
  delaysMs: [30_000, 120_000, 600_000, 1_800_000, 7_200_000],
  maxDelayMs: 6 * 3_600_000,
  jitter: 0.1,
});

export interface NotificationInput {
  /** What it is about: `budget.alert`, `job.dead`, ... */
  kind: string;
  tenantId?: number | null;
  userId?: number | null;
  /** Who it is for, for humans and receivers: an e-mail address, a user name, a channel. */
  recipient: string;
  subject: string;
  body: string;
  data?: { [key: string]: JsonValue };
  /** The channels it must go through, usually `configuredChannels(config)`. None: stored as skipped. */
  channels: readonly ChannelName[];
  /** When set, a second notification with the same key is not added (returns null). */
  dedupeKey?: string | null;
}

/**
 * Adds notifications to the outbox inside the caller's transaction, so they commit (or not)
 * with the change they report. Delivery never happens here: when a background channel is
 * needed, a `notify.deliver` job is made due now (one is added if none is pending).
 * Returns the new ids, null for a notification whose dedupe key already exists.
 */
export async function enqueueNotifications(trx: Db, inputs: readonly NotificationInput[], now: number): Promise<Array<number | null>> {
  const stamp = toInstant(now);
  const rows = inputs.map((n) => {
    const channels = [...new Set(n.channels)];
    const status: NotificationStatus = channels.length === 0 ? "skipped" : "pending";
    return {
      kind: n.kind,
      tenant_id: n.tenantId ?? null,
      user_id: n.userId ?? null,
      recipient: n.recipient,
      subject: n.subject,
      body: n.body,
      data: JSON.stringify(n.data ?? {}),
      channels: JSON.stringify(channels),
      delivered_channels: "[]",
      status,
      attempts: 0,
      next_attempt_at: status === "pending" ? stamp : null,
      last_error: null,
      dedupe_key: n.dedupeKey ?? null,
      created_at: stamp,
      sent_at: null,
    };
  });
  const ids: Array<number | null> = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    if (chunk.every((r) => r.dedupe_key === null)) {
      const inserted = await trx.insertInto("notification").values(chunk).returning("id").execute();
      ids.push(...inserted.map((r) => r.id).sort((a, b) => a - b));
      continue;
    }
    for (const r of chunk) {
      const row = await trx
        .insertInto("notification")
        .values(r)
        .onConflict((oc) => oc.column("dedupe_key").doNothing())
        .returning("id")
        .executeTakeFirst();
      ids.push(row?.id ?? null);
    }
  }
  const background = rows.some((_r, i) => ids[i] !== null && inputs[i]?.channels.some((c) => BACKGROUND_CHANNELS.includes(c)));
  if (background) await scheduleDelivery(trx, now);
  return ids;
}

const CHUNK = 200;

/** One notification; see `enqueueNotifications`. */
export async function enqueueNotification(trx: Db, input: NotificationInput, now: number): Promise<number | null> {
  const [id] = await enqueueNotifications(trx, [input], now);
  return id ?? null;
}

/**
 * Makes a pending notify.deliver job due now: brings a waiting one (snoozed until a retry) forward,
 * or adds one. A running one is not enough: it may already have looked for work.
 */
export async function scheduleDelivery(trx: Db, now: number): Promise<void> {
  await bringForwardOrEnqueue(trx, { type: DELIVER_JOB_TYPE, payload: {}, maxAttempts: DELIVER_JOB_ATTEMPTS, runAt: now }, now);
}

/** The earliest retry among pending notifications that still need one of `channels`, or null. */
export async function nextAttemptAt(db: Db, channels: readonly ChannelName[]): Promise<string | null> {
  if (channels.length === 0) return null;
  return byDialect(db, { sqlite, postgres }).earliestAttemptNeeding(db, channels);
}
