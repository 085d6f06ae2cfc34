import { copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { cancelJobs, retryJobs } from "../../src/core/queue/admin.ts";
import { openStore } from "../../src/core/db/connection.ts";
import type { Db } from "../../src/core/db/handle.ts";
import { type ClaimedJob, claimJobs } from "../../src/core/queue/claim.ts";
import { completeAndClaim } from "../../src/core/queue/cycle.ts";
import { type EnqueueRequest, enqueueJobs } from "../../src/core/queue/enqueue.ts";
import { type AttemptEnd, finishAttempts, finishedAttempt } from "../../src/core/queue/finish.ts";
import { getJob } from "../../src/core/queue/inspect.ts";
import { renewLeases } from "../../src/core/queue/lease.ts";
import { rescueLostJobs } from "../../src/core/queue/rescue.ts";
import { writeSync } from "../helpers/query.ts";
import { onPostgres, testDatabase } from "../helpers/backend.ts";
import { tempDir, testStore } from "../helpers/store.ts";

const T0 = Date.parse("2026-11-22T08:00:00Z");
const noop = (extra: object = {}) => ({ type: "noop", payload: {}, maxAttempts: 3, ...extra });
/** Job types by name, as `jobs retry` gets them: these tests retry jobs of types it does not know (the default policy). */
const noType = async () => undefined;

/**
 * Enqueues `n` jobs and has h:1 claim the first three; job 2's lease runs out and h:2 takes it over,
 * while jobs 1 and 3 stay h:1's (their leases renewed in time). Returns h:1's claims.
 */
async function takeOverSecondOf(db: Db, n: number): Promise<ClaimedJob[]> {
  await enqueueJobs(
    db,
    Array.from({ length: n }, () => noop()),
    T0,
  );
  const old = await claimJobs(db, { owner: "h:1", limit: 3, now: T0, leaseMs: 1000 });
  await renewLeases(
    db,
    old.filter((j) => j.id !== 2).map((j) => ({ id: j.id, token: j.token })),
    T0 + 500,
    60_000,
  );
  await rescueLostJobs(db, { now: T0 + 5000, ownerGone: () => false });
  const [taken] = await claimJobs(db, { owner: "h:2", limit: 1, now: T0 + 5000, leaseMs: 30_000, ids: [2] });
  expect(taken).toMatchObject({ id: 2, token: 2 });
  return old;
}

const completed = (j: ClaimedJob) => finishedAttempt(j, { durationMs: 1, end: { kind: "completed" as const } });

describe("enqueue", () => {
  it("returns the live job for a dedupe key instead of adding another, also within one batch", async () => {
    const { db } = await testStore();
    const [a] = await enqueueJobs(db, [noop({ dedupeKey: "k1" })], T0);
    const again = await enqueueJobs(db, [noop({ dedupeKey: "k1" }), noop({ dedupeKey: "k2" }), noop({ dedupeKey: "k2" }), noop()], T0);
    expect(a).toEqual({ id: 1, created: true });
    expect(again).toEqual([
      { id: 1, created: false },
      { id: 2, created: true },
      { id: 2, created: false },
      { id: 3, created: true },
    ]);
  });

  it("allows the key again once the job has finished", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop({ dedupeKey: "k" })], T0);
    const [job] = await claimJobs(db, { owner: "h:1", limit: 1, now: T0, leaseMs: 30_000 });
    await finishAttempts(db, [finishedAttempt(job!, { durationMs: 5, end: { kind: "completed" } })], T0);
    expect(await enqueueJobs(db, [noop({ dedupeKey: "k" })], T0)).toEqual([{ id: 2, created: true }]);
  });

  it("keeps ids in request order for large batches", async () => {
    const { db } = await testStore();
    const results = await enqueueJobs(
      db,
      Array.from({ length: 12_000 }, (_, i) => noop({ payload: { i } })),
      T0,
    );
    expect(results.map((r) => r.id)).toEqual(Array.from({ length: 12_000 }, (_, i) => i + 1));
    const row = await db.selectFrom("job").select("payload").where("id", "=", 11_000).executeTakeFirstOrThrow();
    expect(JSON.parse(row.payload)).toEqual({ i: 10_999 });
  });

  it("stores each job of a mixed batch with its own columns, in request order, across statement sizes", async () => {
    const { db } = await testStore();
    // Runs of payload-only jobs (sizes that are and are not powers of two) between jobs that go in as whole rows.
    const requests: EnqueueRequest[] = [
      ...Array.from({ length: 300 }, (_, i) => noop({ payload: { run: 1, i } })),
      ...Array.from({ length: 3 }, (_, i) => noop({ payload: { run: 2, i }, timeoutMs: 1000 + i, dedupeKey: `k${i}` })),
      ...Array.from({ length: 257 }, (_, i) => noop({ payload: { run: 3, i, text: 'åäö \u2028 "q"' }, priority: 2 })),
      noop({ payload: { run: 4 }, runAt: T0 + 60_000, maxAttempts: 7 }),
      ...Array.from({ length: 5 }, (_, i) => noop({ payload: { run: 5, i } })),
    ];
    const results = await enqueueJobs(db, requests, T0);
    expect(results).toEqual(requests.map((_, i) => ({ id: i + 1, created: true })));
    const rows = await db
      .selectFrom("job")
      .select(["id", "payload", "priority", "run_at", "max_attempts", "dedupe_key", "timeout_ms"])
      .orderBy("id")
      .execute();
    expect(
      rows.map((r) => ({
        payload: JSON.parse(r.payload),
        priority: Number(r.priority),
        runAt: Date.parse(String(r.run_at)),
        maxAttempts: Number(r.max_attempts),
        dedupeKey: r.dedupe_key,
        timeoutMs: r.timeout_ms === null ? null : Number(r.timeout_ms),
      })),
    ).toEqual(
      requests.map((r) => ({
        payload: r.payload,
        priority: r.priority ?? 0,
        runAt: r.runAt ?? T0,
        maxAttempts: r.maxAttempts,
        dedupeKey: r.dedupeKey ?? null,
        timeoutMs: r.timeoutMs ?? null,
      })),
    );
  });
});

describe("claim", () => {
  it("takes due jobs by priority, then run-at, and never the same job twice", async () => {
    const { db } = await testStore();
    await enqueueJobs(
      db,
      [
        noop({ runAt: T0 - 3000 }),
        noop({ runAt: T0 - 1000, priority: 5 }),
        noop({ runAt: T0 + 60_000, priority: 9 }),
        noop({ runAt: T0 - 2000 }),
      ],
      T0,
    );
    const first = await claimJobs(db, { owner: "h:1", limit: 2, now: T0, leaseMs: 30_000 });
    const second = await claimJobs(db, { owner: "h:2", limit: 5, now: T0, leaseMs: 30_000 });
    expect(first.map((j) => j.id)).toEqual([2, 1]);
    expect(second.map((j) => j.id)).toEqual([4]); // job 3 is not due yet
    expect(first[0]).toMatchObject({ attempt: 1, token: 1 });
  });

  it("filters by type", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop(), { type: "other", payload: {}, maxAttempts: 1 }], T0);
    expect((await claimJobs(db, { owner: "h:1", limit: 5, now: T0, leaseMs: 1000, types: ["other"] })).map((j) => j.type)).toEqual([
      "other",
    ]);
  });
});

describe("fencing", () => {
  it("lets only the current lease holder finish or renew a job", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop()], T0);
    const [stale] = await claimJobs(db, { owner: "h:1", limit: 1, now: T0, leaseMs: 1000 });
    // The lease expires; another worker rescues and re-claims the job.
    const rescued = await rescueLostJobs(db, { now: T0 + 5000, ownerGone: () => false });
    expect(rescued).toMatchObject([{ id: 1, state: "pending" }]);
    const [fresh] = await claimJobs(db, { owner: "h:2", limit: 1, now: T0 + 5000, leaseMs: 30_000 });
    expect(fresh!.token).toBe(stale!.token + 1);

    const renewStale = await renewLeases(db, [{ id: 1, token: stale!.token }], T0 + 6000, 30_000);
    expect(renewStale.held.size).toBe(0);
    const applied = await finishAttempts(
      db,
      [finishedAttempt(stale!, { durationMs: 1, end: { kind: "completed", result: "stale" } })],
      T0 + 6000,
    );
    expect(applied.size).toBe(0);
    const { job } = await getJob(db, 1);
    expect(job).toMatchObject({ state: "running", lease_owner: "h:2", result: null });

    await finishAttempts(db, [finishedAttempt(fresh!, { durationMs: 1, end: { kind: "completed", result: "fresh" } })], T0 + 7000);
    const detail = await getJob(db, 1);
    expect(detail.job).toMatchObject({ state: "completed", result: '"fresh"', attempts: 2 });
    expect(detail.attempts.map((a) => a.outcome)).toEqual(["lost", "completed"]);
  });
  it("records a batch of ends except the one whose lease was taken over, and leaves that job's new attempt running", async () => {
    const { db } = await testStore();
    const old = await takeOverSecondOf(db, 3);
    const applied = await finishAttempts(db, old.map(completed), T0 + 6000);
    expect([...applied].sort()).toEqual([1, 3]);
    expect((await getJob(db, 1)).job).toMatchObject({ state: "completed" });
    expect((await getJob(db, 3)).job).toMatchObject({ state: "completed" });
    const two = await getJob(db, 2);
    expect(two.job).toMatchObject({ state: "running", lease_owner: "h:2", lease_token: 2 });
    expect(two.attempts.map((a) => a.outcome)).toEqual(["lost", "running"]);
  });
  it("a worker cycle's completions and next claim (one statement on PostgreSQL) refuse the taken-over job and claim the next ones", async () => {
    const { db } = await testStore();
    const old = await takeOverSecondOf(db, 5);
    const { applied, claimed } = await completeAndClaim(db, old.map(completed), {
      owner: "h:1",
      limit: 5,
      now: T0 + 6000,
      leaseMs: 30_000,
    });
    expect([...applied].sort()).toEqual([1, 3]);
    expect(claimed.map((j) => [j.id, j.attempt, j.token, j.snoozes, j.payload])).toEqual([
      [4, 1, 1, 0, "{}"],
      [5, 1, 1, 0, "{}"],
    ]);
    expect(claimed.every((j) => j.createdAt === T0 && j.firstStartedAt === T0 + 6000 && j.owner === "h:1")).toBe(true);
    const two = await getJob(db, 2);
    expect(two.job).toMatchObject({ state: "running", lease_owner: "h:2", lease_token: 2 });
    expect(two.attempts.map((a) => a.outcome)).toEqual(["lost", "running"]);
    expect((await getJob(db, 3)).attempts.map((a) => a.outcome)).toEqual(["completed"]);
    expect((await getJob(db, 4)).attempts).toMatchObject([{ outcome: "running", worker: "h:1", token: 1 }]);
  });
});

describe("rescue", () => {
  it("returns a dead owner's job at once, and kills a job that has no attempts left", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop(), noop({ maxAttempts: 1 })], T0);
    await claimJobs(db, { owner: "host:4242", limit: 2, now: T0, leaseMs: 60_000 });
    const rescued = await rescueLostJobs(db, { now: T0 + 1000, ownerGone: (o) => o === "host:4242" });
    expect(rescued.map((r) => [r.id, r.state])).toEqual([
      [1, "pending"],
      [2, "dead"],
    ]);
    expect((await getJob(db, 1)).attempts[0]).toMatchObject({
      outcome: "lost",
      error: expect.stringMatching(/worker host:4242 stopped \(its process is gone\)/),
    });
    expect(await rescueLostJobs(db, { now: T0 + 2000, ownerGone: () => true })).toEqual([]);
  });

  it("leaves a lease alone that its worker renewed after the rescue looked (a laptop waking up)", async () => {
    const path = join(tempDir(), "q.db");
    const { db } = await testStore(path);
    await enqueueJobs(db, [noop()], T0);
    await claimJobs(db, { owner: "host:1", limit: 1, now: T0, leaseMs: 30_000 });
    const later = T0 + 3_600_000;
    // ownerGone is asked between the rescue's read and its write: the worker renews right then,
    // from another connection (another process on PostgreSQL).
    const renewing = () => {
      writeSync(path, "update job set lease_expires_at = ? where id = 1", new Date(later + 30_000).toISOString());
      return false;
    };
    expect(await rescueLostJobs(db, { now: later, ownerGone: renewing })).toEqual([]);
    expect((await getJob(db, 1)).job).toMatchObject({ state: "running", lease_owner: "host:1" });
  });

  it("leaves a live worker's unexpired lease alone", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop()], T0);
    await claimJobs(db, { owner: "host:1", limit: 1, now: T0, leaseMs: 60_000 });
    expect(await rescueLostJobs(db, { now: T0 + 59_000, ownerGone: () => false })).toEqual([]);
  });
});

describe("finishing attempts", () => {
  it("retries, snoozes without using an attempt, releases without counting, and kills", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop(), noop(), noop(), noop()], T0);
    const jobs = await claimJobs(db, { owner: "h:1", limit: 4, now: T0, leaseMs: 30_000 });
    const at = (i: number, end: AttemptEnd) => finishedAttempt(jobs[i]!, { durationMs: 3, end });
    await finishAttempts(
      db,
      [
        at(0, { kind: "retry", error: "boom", runAt: T0 + 60_000 }),
        at(1, { kind: "snoozed", reason: "429 Retry-After 120", runAt: T0 + 120_000 }),
        at(2, { kind: "released", reason: "shutdown" }),
        at(3, { kind: "dead", error: "permanent: bad address" }),
      ],
      T0 + 10,
    );
    const rows = await db
      .selectFrom("job")
      .select(["id", "state", "attempts", "max_attempts", "run_at", "last_error"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { id: 1, state: "pending", attempts: 1, max_attempts: 3, run_at: "2026-11-22T08:01:00.000Z", last_error: "boom" },
      { id: 2, state: "pending", attempts: 1, max_attempts: 4, run_at: "2026-11-22T08:02:00.000Z", last_error: "429 Retry-After 120" },
      { id: 3, state: "pending", attempts: 0, max_attempts: 3, run_at: "2026-11-22T08:00:00.010Z", last_error: null },
      { id: 4, state: "dead", attempts: 1, max_attempts: 3, run_at: "2026-11-22T08:00:00.000Z", last_error: "permanent: bad address" },
    ]);
    const outcomes = await db.selectFrom("job_attempt").select(["job_id", "outcome", "duration_ms"]).orderBy("job_id").execute();
    expect(outcomes.map((o) => o.outcome)).toEqual(["failed", "snoozed", "released", "failed"]);
  });

  it("applies a batch larger than one statement, writing the attempts of the jobs still held and no others", async () => {
    const { db } = await testStore();
    await enqueueJobs(
      db,
      Array.from({ length: 150 }, () => noop()),
      T0,
    );
    const held = await claimJobs(db, { owner: "h:1", limit: 150, now: T0, leaseMs: 1000 });
    // Jobs 101-150 lose their lease and are rescued before h:1 reports them.
    await renewLeases(
      db,
      held.filter((j) => j.id <= 100).map((j) => ({ id: j.id, token: j.token })),
      T0 + 500,
      60_000,
    );
    expect(await rescueLostJobs(db, { now: T0 + 5000, ownerGone: () => false })).toHaveLength(50);
    const applied = await finishAttempts(db, held.map(completed), T0 + 6000);
    expect([...applied].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const states = await db
      .selectFrom("job")
      .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("state")
      .orderBy("state")
      .execute();
    expect(states.map((r) => [r.state, Number(r.n)])).toEqual([
      ["completed", 100],
      ["pending", 50],
    ]);
    const attempts = await db.selectFrom("job_attempt").select(["job_id", "outcome"]).orderBy("job_id").execute();
    expect(attempts).toHaveLength(150);
    expect(attempts.filter((a) => a.outcome === "completed").map((a) => Number(a.job_id))).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    expect(attempts.filter((a) => a.outcome === "lost")).toHaveLength(50);
  });

  it("refuses a batch with two attempts of one job and changes nothing", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop()], T0);
    const [job] = await claimJobs(db, { owner: "h:1", limit: 1, now: T0, leaseMs: 30_000 });
    const twice = [completed(job!), finishedAttempt(job!, { durationMs: 1, end: { kind: "dead", error: "x" } })];
    await expect(finishAttempts(db, twice, T0 + 10)).rejects.toThrow("one attempt per job");
    expect((await getJob(db, 1)).job.state).toBe("running");
    expect(await db.selectFrom("job_attempt").selectAll().execute()).toEqual([]);
  });
});

describe("an attempt's history row", () => {
  it("is written once, when the attempt ends: a running attempt is shown from its job row", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop()], T0);
    const [job] = await claimJobs(db, { owner: "h:1", limit: 1, now: T0 + 5000, leaseMs: 30_000 });
    expect(await db.selectFrom("job_attempt").selectAll().execute()).toEqual([]);
    expect((await getJob(db, 1)).attempts).toEqual([
      expect.objectContaining({
        id: null,
        attempt: 1,
        token: 1,
        worker: "h:1",
        started_at: "2026-11-22T08:00:05.000Z",
        outcome: "running",
      }),
    ]);
    await finishAttempts(db, [finishedAttempt(job!, { durationMs: 7, end: { kind: "completed" } })], T0 + 6000);
    expect((await getJob(db, 1)).job.claimed_at).toBeNull();
    const rows = await db
      .selectFrom("job_attempt")
      .select(["attempt", "token", "worker", "started_at", "finished_at", "outcome", "duration_ms"])
      .execute();
    expect(rows).toEqual([
      {
        attempt: 1,
        token: 1,
        worker: "h:1",
        started_at: "2026-11-22T08:00:05.000Z",
        finished_at: "2026-11-22T08:00:06.000Z",
        outcome: "completed",
        duration_ms: 7,
      },
    ]);
  });

  it("of a job running when the database is upgraded (migration 0021) keeps its start, and its end is written once", async () => {
    const path = join(tempDir(), "upgrade.db");
    const all = join(import.meta.dirname, "..", "..", "migrations", onPostgres ? "postgres" : "sqlite");
    const before = tempDir();
    for (const f of readdirSync(all).filter((f) => f < "0021")) copyFileSync(join(all, f), join(before, f));
    const old = await openStore(testDatabase(path), { busyTimeoutMs: 5000, migrationsDir: before });
    await enqueueJobs(old.db, [noop(), noop()], T0);
    // As a worker before 0021 left them: job 1 running with its attempt open, job 2 done with its attempt closed.
    await sql`update job set state = 'running', attempts = 1, lease_owner = 'h:1', lease_token = 1,
      lease_expires_at = ${"2026-11-22T08:00:35.000Z"}, started_at = ${"2026-11-22T08:00:05.000Z"} where id = 1`.execute(old.db);
    await sql`update job set state = 'completed', attempts = 1, lease_token = 1, finished_at = ${"2026-11-22T08:00:09.000Z"} where id = 2`.execute(
      old.db,
    );
    await sql`insert into job_attempt (job_id, attempt, token, worker, started_at) values (1, 1, 1, 'h:1', ${"2026-11-22T08:00:05.000Z"})`.execute(
      old.db,
    );
    await sql`insert into job_attempt (job_id, attempt, token, worker, started_at, finished_at, outcome)
      values (2, 1, 1, 'h:1', ${"2026-11-22T08:00:08.000Z"}, ${"2026-11-22T08:00:09.000Z"}, 'completed')`.execute(old.db);
    await old.close();

    const { db } = await testStore(path);
    expect((await getJob(db, 1)).attempts).toEqual([
      expect.objectContaining({ id: null, worker: "h:1", started_at: "2026-11-22T08:00:05.000Z", outcome: "running" }),
    ]);
    expect(await rescueLostJobs(db, { now: T0 + 60_000, ownerGone: () => false })).toHaveLength(1);
    expect((await getJob(db, 1)).job).toMatchObject({ state: "pending", claimed_at: null });
    const rows = await db.selectFrom("job_attempt").select(["job_id", "started_at", "outcome"]).orderBy("job_id").execute();
    expect(rows.map((r) => ({ ...r, job_id: Number(r.job_id) }))).toEqual([
      { job_id: 1, started_at: "2026-11-22T08:00:05.000Z", outcome: "lost" },
      { job_id: 2, started_at: "2026-11-22T08:00:08.000Z", outcome: "completed" },
    ]);
  });
});

describe("deleting jobs", () => {
  // PostgreSQL does not check attempts against job (migration 0020): a trigger deletes them instead.
  it("deletes their attempts, and only theirs, when jobs are deleted by hand", async () => {
    const { db } = await testStore();
    await enqueueJobs(
      db,
      Array.from({ length: 4 }, () => noop()),
      T0,
    );
    const claimed = await claimJobs(db, { owner: "h:1", limit: 4, now: T0, leaseMs: 30_000 });
    await finishAttempts(db, claimed.map(completed), T0 + 10);
    await sql`delete from job where id in (1, 2, 3)`.execute(db);
    const left = await sql<{ job_id: number }>`select job_id from job_attempt order by job_id`.execute(db);
    expect(left.rows.map((r) => Number(r.job_id))).toEqual([4]);
  });
});

describe("cancel and retry by hand", () => {
  it("cancels pending jobs at once and asks running ones to stop", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop(), noop()], T0);
    await claimJobs(db, { owner: "h:1", limit: 1, now: T0, leaseMs: 30_000 });
    expect(await cancelJobs(db, [2, 1], T0, "anna")).toEqual([
      { id: 2, outcome: "cancelled" },
      { id: 1, outcome: "requested" },
    ]);
    expect((await renewLeases(db, [{ id: 1, token: 1 }], T0, 30_000)).cancelRequested.has(1)).toBe(true);
    await expect(cancelJobs(db, [2], T0, "anna")).rejects.toThrow(/already cancelled/);
    await expect(cancelJobs(db, [99], T0, "anna")).rejects.toThrow(/no job with id 99/);
  });

  it("a job asked to stop is cancelled, not requeued, when its attempt fails, snoozes or is released first", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop(), noop(), noop(), noop()], T0);
    await enqueueJobs(db, [noop({ dependsOn: 1 })], T0);
    const jobs = await claimJobs(db, { owner: "h:1", limit: 4, now: T0, leaseMs: 30_000 });
    await cancelJobs(db, [1, 2, 3, 4], T0 + 5, "anna");
    const at = (i: number, end: AttemptEnd) => finishedAttempt(jobs[i]!, { durationMs: 3, end });
    await finishAttempts(
      db,
      [
        at(0, { kind: "retry", error: "boom", runAt: T0 + 60_000 }),
        at(1, { kind: "snoozed", reason: "429", runAt: T0 + 60_000 }),
        at(2, { kind: "released", reason: "shutdown" }),
        at(3, { kind: "completed" }),
      ],
      T0 + 10,
    );
    const rows = await db.selectFrom("job").select(["id", "state", "last_error", "cancel_requested_at"]).orderBy("id").execute();
    expect(rows).toEqual([
      { id: 1, state: "cancelled", last_error: "cancelled on request while running", cancel_requested_at: null },
      { id: 2, state: "cancelled", last_error: "cancelled on request while running", cancel_requested_at: null },
      { id: 3, state: "cancelled", last_error: "cancelled on request while running", cancel_requested_at: null },
      { id: 4, state: "completed", last_error: null, cancel_requested_at: null },
      { id: 5, state: "cancelled", last_error: "cancelled: the job it depends on (1) was cancelled", cancel_requested_at: null },
    ]);
    // What the attempts did is kept as it happened.
    const outcomes = await db.selectFrom("job_attempt").select(["job_id", "outcome", "error"]).orderBy("job_id").execute();
    expect(outcomes.map((o) => o.outcome)).toEqual(["failed", "snoozed", "released", "completed"]);
    expect(await claimJobs(db, { owner: "h:2", limit: 5, now: T0 + 120_000, leaseMs: 30_000 })).toEqual([]);
  });

  it("cancels all the jobs given or none: one bad id changes nothing", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop(), noop()], T0);
    await expect(cancelJobs(db, [1, 2, 99], T0, "anna")).rejects.toThrow(/no job with id 99/);
    expect(await db.selectFrom("job").select(["id", "state"]).orderBy("id").execute()).toEqual([
      { id: 1, state: "pending" },
      { id: 2, state: "pending" },
    ]);
    expect(await cancelJobs(db, [1, 1], T0, "anna")).toEqual([{ id: 1, outcome: "cancelled" }]);
  });

  it("puts dead jobs back with fresh attempts, keeping their history", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop({ maxAttempts: 1 })], T0);
    const [j] = await claimJobs(db, { owner: "h:1", limit: 1, now: T0, leaseMs: 30_000 });
    await finishAttempts(db, [finishedAttempt(j!, { durationMs: 1, end: { kind: "dead", error: "x" } })], T0);
    await expect(retryJobs(db, [1], T0, noType)).resolves.toEqual({ retried: [1], skipped: [] });
    expect((await getJob(db, 1)).job).toMatchObject({ state: "pending", attempts: 1, max_attempts: 4, finished_at: null });
    await expect(retryJobs(db, [1], T0, noType)).rejects.toThrow(/job 1 is pending; only dead or cancelled/);
  });

  it("keeps a dedupe key to one live job: a named job is refused, --dead leaves the duplicates dead", async () => {
    const { db } = await testStore();
    const die = async () => {
      const [j] = await claimJobs(db, { owner: "h:1", limit: 1, now: T0, leaseMs: 30_000 });
      await finishAttempts(db, [finishedAttempt(j!, { durationMs: 1, end: { kind: "dead", error: "x" } })], T0);
    };
    await enqueueJobs(db, [noop({ dedupeKey: "k", maxAttempts: 1 })], T0);
    await die();
    await enqueueJobs(db, [noop({ dedupeKey: "k", maxAttempts: 1 })], T0);
    await die();
    await enqueueJobs(db, [noop({ dedupeKey: "k", runAt: T0 + 3_600_000 })], T0); // job 3, live
    await expect(retryJobs(db, [1], T0, noType)).rejects.toThrow(/job 1 cannot be retried: job 3 with the same dedupe key "k" is queued/);
    expect(await retryJobs(db, "dead", T0, noType)).toEqual({
      retried: [],
      skipped: [
        { id: 1, reason: 'job 3 with the same dedupe key "k" is queued' },
        { id: 2, reason: 'job 3 with the same dedupe key "k" is queued' },
      ],
    });
    await cancelJobs(db, [3], T0, "anna");
    expect(await retryJobs(db, "dead", T0, noType)).toEqual({
      retried: [1],
      skipped: [{ id: 2, reason: 'job 1 with the same dedupe key "k" is queued' }],
    });
    await expect(retryJobs(db, [2], T0, noType)).rejects.toThrow(/job 2 cannot be retried: job 1/);
  });

  it("--dead with more keyed dead jobs than a statement can bind: every one is looked at", async () => {
    const { db } = await testStore();
    const n = 40_000; // past SQLite's 32,766 bound parameters
    for (const [state, key] of [
      ["dead", "k"],
      ["pending", "k"],
    ]) {
      await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${sql.lit(n)})
        insert into job (type, payload, state, run_at, attempts, max_attempts, dedupe_key, created_at, updated_at)
        select 'noop', '{}', ${state}, '2026-11-22T08:00:00.000Z', 1, 1, ${key} || i, '2026-11-22T08:00:00.000Z', '2026-11-22T08:00:00.000Z' from n`.execute(
        db,
      );
    }
    const r = await retryJobs(db, "dead", T0, noType);
    expect(r.retried).toEqual([]);
    expect(r.skipped).toHaveLength(n);
    expect(r.skipped[n - 1]).toEqual({ id: n, reason: `job ${2 * n} with the same dedupe key "k${n}" is queued` });
  });
});

describe("retry and dedupe keys", () => {
  it("refuses to retry a dead job while another live job holds its dedupe key, and changes nothing", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [noop({ dedupeKey: "nightly", maxAttempts: 1 })], T0);
    const [j] = await claimJobs(db, { owner: "h:1", limit: 1, now: T0, leaseMs: 30_000 });
    await finishAttempts(db, [finishedAttempt(j!, { durationMs: 1, end: { kind: "dead", error: "x" } })], T0);
    await enqueueJobs(db, [noop({ dedupeKey: "nightly" })], T0);
    await expect(retryJobs(db, [1], T0, noType)).rejects.toThrow(
      /job 1 cannot be retried: job 2 with the same dedupe key "nightly" is queued/,
    );
    expect((await getJob(db, 1)).job.state).toBe("dead");
  });
});
