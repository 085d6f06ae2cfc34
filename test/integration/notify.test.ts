import { describe, expect, it } from "vitest";
import { immediate } from "../../src/core/db/handle.ts";
import { outputChannel, type OutboxMessage } from "../../src/core/notify/channels.ts";
import { deliverPending } from "../../src/core/notify/deliver.ts";
import { enqueueNotification, enqueueNotifications, NOTIFY_RETRY } from "../../src/core/notify/outbox.ts";
import { webhookChannel } from "../../src/core/notify/webhook.ts";
import { T0 } from "../helpers/backoffice.ts";
import { testStore } from "../helpers/store.ts";
import { webhookServer } from "../helpers/webhook-server.ts";

const note = (i: number, channels: Array<"webhook" | "output"> = ["webhook"]) => ({
  kind: "job.dead",
  recipient: "ops",
  subject: `Job ${i} died`,
  body: "noop: failing attempt 3 of 3",
  data: { jobId: i, attempts: 3 },
  channels,
});
const noRandom = () => 0.5; // no jitter

describe("notification outbox", () => {
  it("enqueueing inside a transaction schedules one notify.deliver job; a dedupe key adds nothing twice", async () => {
    const { db } = await testStore();
    const ids = await immediate(db, (trx) => enqueueNotifications(trx, [note(1), note(2)], T0));
    expect(ids).toEqual([1, 2]);
    await immediate(db, (trx) => enqueueNotification(trx, { ...note(3), dedupeKey: "job:3:dead" }, T0));
    expect(await immediate(db, (trx) => enqueueNotification(trx, { ...note(3), dedupeKey: "job:3:dead" }, T0))).toBeNull();
    const jobs = await db.selectFrom("job").select(["type", "state"]).execute();
    expect(jobs).toEqual([{ type: "notify.deliver", state: "pending" }]);
    // Output-only notifications need no background job; none at all is stored as skipped.
    await immediate(db, (trx) => enqueueNotifications(trx, [note(4, ["output"]), note(5, [])], T0));
    expect((await db.selectFrom("job").selectAll().execute()).length).toBe(1);
    // (by subject: on PostgreSQL the refused duplicate used up an id)
    const none = await db.selectFrom("notification").select("status").where("subject", "=", "Job 5 died").executeTakeFirstOrThrow();
    expect(none.status).toBe("skipped");
  });

  it("delivers to a Slack-compatible webhook: JSON with text, and the id for receivers", async () => {
    const { db } = await testStore();
    const hook = await webhookServer([200]);
    await immediate(db, (trx) => enqueueNotification(trx, note(1), T0));
    const s = await deliverPending(db, { channels: [webhookChannel(hook.url)], clock: () => T0, random: noRandom });
    expect(s).toMatchObject({ attempted: 1, sent: 1, retrying: 0, failed: 0 });
    expect(hook.received).toEqual([
      {
        status: 200,
        body: {
          text: "*Job 1 died*\nnoop: failing attempt 3 of 3",
          leadjobs: expect.objectContaining({ id: 1, kind: "job.dead", data: { jobId: 1, attempts: 3 } }),
        },
      },
    ]);
    const row = await db.selectFrom("notification").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "sent", attempts: 0, sent_at: new Date(T0).toISOString() });
    expect(JSON.parse(row.delivered_channels)).toEqual(["webhook"]);
    // Nothing is sent twice.
    expect(
      (await deliverPending(db, { channels: [webhookChannel(hook.url)], clock: () => T0 + 3_600_000, random: noRandom })).attempted,
    ).toBe(0);
    expect(hook.received.length).toBe(1);
  });

  it("a failing webhook is retried with backoff, then given up; a down channel is tried once per call", async () => {
    const { db } = await testStore();
    const hook = await webhookServer([500]);
    await immediate(db, (trx) => enqueueNotifications(trx, [note(1), note(2), note(3)], T0));
    const deliver = (now: number) => deliverPending(db, { channels: [webhookChannel(hook.url)], clock: () => now, random: noRandom });

    const first = await deliver(T0);
    expect(first).toMatchObject({ attempted: 1, retrying: 1, deferred: 2 });
    expect(hook.received.length).toBe(1);
    const rows = await db.selectFrom("notification").select(["id", "attempts", "next_attempt_at", "last_error"]).orderBy("id").execute();
    const retryAt = new Date(T0 + NOTIFY_RETRY.delaysMs[0]!).toISOString();
    expect(rows).toEqual([
      {
        id: 1,
        attempts: 1,
        next_attempt_at: retryAt,
        last_error: expect.stringMatching(/^webhook http:\/\/127\.0\.0\.1:\d+ answered HTTP 500: invalid_token$/),
      },
      { id: 2, attempts: 0, next_attempt_at: retryAt, last_error: null },
      { id: 3, attempts: 0, next_attempt_at: retryAt, last_error: null },
    ]);
    expect(rows[0]?.last_error).not.toContain("secret"); // the webhook path is a secret

    expect((await deliver(T0 + 1000)).attempted).toBe(0); // not due yet
    hook.statuses = [500, 200];
    const second = await deliver(T0 + NOTIFY_RETRY.delaysMs[0]!);
    expect(second).toMatchObject({ attempted: 3, sent: 3 });

    // Give up after the last attempt.
    hook.statuses = [500];
    await immediate(db, (trx) => enqueueNotification(trx, note(9), T0));
    let now = T0;
    for (let i = 0; i < NOTIFY_RETRY.maxAttempts; i++) {
      await deliver(now);
      now += 10 * 3_600_000;
    }
    const given = await db.selectFrom("notification").selectAll().where("subject", "=", "Job 9 died").executeTakeFirstOrThrow();
    expect(given).toMatchObject({ status: "failed", attempts: NOTIFY_RETRY.maxAttempts, next_attempt_at: null });
  });

  it("the output channel takes what still needs printing; a webhook failure does not print it twice", async () => {
    const { db } = await testStore();
    const hook = await webhookServer([503, 200]);
    await immediate(db, (trx) => enqueueNotifications(trx, [note(1, ["webhook", "output"]), note(2, ["output"])], T0));
    const printed: OutboxMessage[] = [];
    const out = outputChannel((m) => printed.push(m));
    const s1 = await deliverPending(db, { channels: [webhookChannel(hook.url), out], clock: () => T0, random: noRandom });
    expect(s1).toMatchObject({ sent: 1, retrying: 1 });
    expect(printed.map((m) => m.id)).toEqual([1, 2]);
    const s2 = await deliverPending(db, { channels: [webhookChannel(hook.url), out], clock: () => T0 + 3_600_000, random: noRandom });
    expect(s2).toMatchObject({ sent: 1 });
    expect(printed.map((m) => m.id)).toEqual([1, 2]);
    const rows = await db.selectFrom("notification").select(["status", "delivered_channels"]).orderBy("id").execute();
    expect(rows.map((r) => [r.status, JSON.parse(r.delivered_channels)])).toEqual([
      ["sent", ["output", "webhook"]],
      ["sent", ["output"]],
    ]);
  });

  it("two deliverers at once send each notification once", async () => {
    const { store } = { store: await testStore() };
    const other = await testStore(store.path);
    const hook = await webhookServer([200]);
    await immediate(store.db, (trx) =>
      enqueueNotifications(
        trx,
        Array.from({ length: 20 }, (_, i) => note(i)),
        T0,
      ),
    );
    const opts = { channels: [webhookChannel(hook.url)], clock: () => T0, random: noRandom };
    const [a, b] = await Promise.all([deliverPending(store.db, opts), deliverPending(other.db, opts)]);
    expect(a.sent + b.sent).toBe(20);
    expect(hook.received.length).toBe(20);
    expect(new Set(hook.received.map((r) => r.body.leadjobs.id)).size).toBe(20);
  });
});
