import type { NotificationRow } from "./schema.ts";
import { immediate, type Db } from "../db/handle.ts";
import { errorMessage } from "../errors.ts";
import type { RetryPolicy } from "../queue/backoff.ts";
import { backoffDelay } from "../util/backoff.ts";
import { toInstant } from "../time.ts";
import type { Clock, Random } from "../types.ts";
import type { ChannelName, NotificationChannel, OutboxMessage } from "./channels.ts";
import { NOTIFY_RETRY } from "./outbox.ts";
import * as postgres from "./outbox.postgres.ts";
import * as sqlite from "./outbox.sqlite.ts";
import { byDialect } from "../db/dialect.ts";

export interface DeliverOptions {
  /** The channels this caller can deliver through (a job: webhook; a command: also output). */
  channels: readonly NotificationChannel[];
  clock: Clock;
  random: Random;
  /** At most this many notifications per call (default 500). */
  limit?: number;
  signal?: AbortSignal;
  /** How long a notification being sent is held from other deliverers (default 60 s). */
  claimMs?: number;
  policy?: RetryPolicy;
}

export interface DeliverSummary {
  /** Notifications this call tried to deliver. */
  attempted: number;
  /** Now delivered through every channel they need. */
  sent: number;
  /** A channel failed; another attempt is scheduled. */
  retrying: number;
  /** A channel failed on the last attempt: given up (still visible in status). */
  failed: number;
  /** Not tried because their channel failed earlier in this call: they wait for its next attempt. */
  deferred: number;
  /** Each successful delivery. */
  delivered: Array<{ id: number; channel: ChannelName }>;
  errors: Array<{ id: number; error: string }>;
}

/**
 * Delivers due pending notifications through the given channels. Each notification is claimed
 * (held for `claimMs`) before a fallible channel is tried, so two deliverers do not send it twice;
 * a failed channel schedules the next attempt with backoff and jitter, the last one marks it
 * failed. A notification is sent once every channel it needs has delivered it. Channels the
 * caller cannot serve stay pending for a caller that can.
 */
export async function deliverPending(db: Db, o: DeliverOptions): Promise<DeliverSummary> {
  const summary: DeliverSummary = { attempted: 0, sent: 0, retrying: 0, failed: 0, deferred: 0, delivered: [], errors: [] };
  if (o.channels.length === 0) return summary;
  const policy = o.policy ?? NOTIFY_RETRY;
  const now = o.clock();
  const nowIso = toInstant(now);
  // Only notifications that still need one of our channels (and, for fallible ones only, are due).
  const names = o.channels.map((c) => c.name);
  const dueOnly = o.channels.every((c) => !c.immediate);
  const candidates = await byDialect(db, { sqlite, postgres }).pendingNeeding(db, names, {
    dueAt: dueOnly ? nowIso : null,
    limit: o.limit ?? 500,
  });

  // A channel that failed once in this call is not tried again in it (a webhook that is down
  // would otherwise cost a timeout per notification); its other due notifications wait for the
  // failed one's next attempt, without using up an attempt of their own.
  const down = new Set<ChannelName>();
  let resumeAt: string | null = null;
  const deferred: number[] = [];
  const immediateBatch: Array<{
    id: number;
    old: string;
    delivered: string;
    complete: boolean;
    use: NotificationChannel[];
    message: OutboxMessage;
  }> = [];

  for (const n of candidates) {
    if (o.signal?.aborted) break;
    const needed = parseNames(n.channels);
    const done = parseNames(n.delivered_channels);
    const remaining = needed.filter((c) => !done.includes(c));
    const due = n.next_attempt_at === null || n.next_attempt_at <= nowIso;
    const use = o.channels.filter((c) => remaining.includes(c.name) && (c.immediate || due) && !down.has(c.name));
    if (due && o.channels.some((c) => remaining.includes(c.name) && down.has(c.name))) deferred.push(n.id);
    if (use.length === 0) continue;
    const message = toMessage(n);

    if (use.every((c) => c.immediate)) {
      const delivered = [...done, ...use.map((c) => c.name)];
      immediateBatch.push({
        id: n.id,
        old: n.delivered_channels,
        delivered: JSON.stringify(delivered),
        complete: remaining.every((c) => delivered.includes(c)),
        use,
        message,
      });
      continue;
    }

    const claimed = await db
      .updateTable("notification")
      .set({ next_attempt_at: toInstant(now + (o.claimMs ?? 60_000)) })
      .where("id", "=", n.id)
      .where("status", "=", "pending")
      .where("attempts", "=", n.attempts)
      .where("delivered_channels", "=", n.delivered_channels)
      .where((eb) => (n.next_attempt_at === null ? eb("next_attempt_at", "is", null) : eb("next_attempt_at", "=", n.next_attempt_at)))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    summary.attempted++;

    const ok: ChannelName[] = [];
    const errors: string[] = [];
    for (const c of use) {
      try {
        await c.send(message, o.signal);
        ok.push(c.name);
        summary.delivered.push({ id: n.id, channel: c.name });
      } catch (e) {
        errors.push(errorMessage(e));
        if (!c.immediate) down.add(c.name);
      }
    }
    const outcome = await immediate(db, async (trx) => {
      const current = await trx
        .selectFrom("notification")
        .select(["delivered_channels", "status"])
        .where("id", "=", n.id)
        .executeTakeFirstOrThrow();
      const delivered = [...new Set([...parseNames(current.delivered_channels), ...ok])];
      const complete = needed.every((c) => delivered.includes(c));
      const finished = o.clock();
      if (complete) {
        await trx
          .updateTable("notification")
          .set({ delivered_channels: JSON.stringify(delivered), status: "sent", sent_at: toInstant(finished), next_attempt_at: null })
          .where("id", "=", n.id)
          .execute();
        return "sent" as const;
      }
      if (errors.length === 0) {
        // Only channels of other callers are left: give the slot back.
        await trx
          .updateTable("notification")
          .set({ delivered_channels: JSON.stringify(delivered), next_attempt_at: n.next_attempt_at })
          .where("id", "=", n.id)
          .execute();
        return "waiting" as const;
      }
      const attempts = n.attempts + 1;
      const last = attempts >= policy.maxAttempts;
      const next = toInstant(finished + backoffDelay(attempts, policy, o.random));
      if (!last && (resumeAt === null || next < resumeAt)) resumeAt = next;
      await trx
        .updateTable("notification")
        .set({
          delivered_channels: JSON.stringify(delivered),
          attempts,
          status: last ? "failed" : "pending",
          next_attempt_at: last ? null : next,
          last_error: errors.join("; ").slice(0, 1000),
        })
        .where("id", "=", n.id)
        .execute();
      return last ? ("failed" as const) : ("retrying" as const);
    });
    if (outcome === "sent") summary.sent++;
    else if (outcome === "retrying") summary.retrying++;
    else if (outcome === "failed") summary.failed++;
    if (errors.length > 0) summary.errors.push({ id: n.id, error: errors.join("; ") });
  }
  // Channels that cannot fail: recorded in one statement (guarded against a concurrent deliverer), then handed over.
  for (let i = 0; i < immediateBatch.length; i += 500) {
    const chunk = immediateBatch.slice(i, i + 500);
    const ids = new Set(await byDialect(db, { sqlite, postgres }).markDelivered(db, chunk, nowIso));
    for (const item of chunk) {
      if (!ids.has(item.id)) continue;
      summary.attempted++;
      for (const c of item.use) {
        await c.send(item.message, o.signal);
        summary.delivered.push({ id: item.id, channel: c.name });
      }
      if (item.complete) summary.sent++;
    }
  }
  if (deferred.length > 0) {
    const until = resumeAt ?? toInstant(o.clock() + (policy.delaysMs[0] ?? 30_000));
    await db
      .updateTable("notification")
      .set({ next_attempt_at: until })
      .where("id", "in", deferred)
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", nowIso)
      .execute();
    summary.deferred = deferred.length;
  }
  return summary;
}

function parseNames(json: string): ChannelName[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v.filter((x) => typeof x === "string") as ChannelName[]) : [];
  } catch {
    return [];
  }
}

export function toMessage(n: NotificationRow): OutboxMessage {
  let data: OutboxMessage["data"] = {};
  try {
    const v: unknown = JSON.parse(n.data);
    if (v && typeof v === "object" && !Array.isArray(v)) data = v as OutboxMessage["data"];
  } catch {
    // keep {}: a malformed data column must not stop delivery of the text
  }
  return {
    id: n.id,
    kind: n.kind,
    tenantId: n.tenant_id,
    userId: n.user_id,
    recipient: n.recipient,
    subject: n.subject,
    body: n.body,
    data,
    createdAt: n.created_at,
    attempts: n.attempts,
  };
}
