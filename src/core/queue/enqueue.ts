import { type RawBuilder, sql } from "kysely";
import { byDialect } from "../db/dialect.ts";
import { fragments } from "../db/fragments.ts";
import { immediate, type Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import { withArticle } from "../util/plural.ts";
import { blockedBy } from "./dependents.ts";
import * as postgres from "./enqueue.postgres.ts";
import * as sqlite from "./enqueue.sqlite.ts";

export interface EnqueueRequest {
  type: string;
  /** Already validated against the type's schema; stored as JSON. */
  payload: unknown;
  runAt?: number;
  /** Higher runs first; default 0. */
  priority?: number;
  maxAttempts: number;
  /** While a job with this key is pending or running, enqueueing it again returns that job. */
  dedupeKey?: string | null;
  scheduleId?: number | null;
  batchId?: number | null;
  /** Run only after this job completed; cancelled if it dies or is cancelled. */
  dependsOn?: number | null;
  /** Run timeout overriding the type's. */
  timeoutMs?: number | null;
}

export interface EnqueueResult {
  id: number;
  /** false when an existing live job with the same dedupe key was returned. */
  created: boolean;
}

/** Enqueues all requests in one IMMEDIATE transaction: all or nothing. */
export function enqueueJobs(db: Db, requests: EnqueueRequest[], now: number): Promise<EnqueueResult[]> {
  return immediate(db, (trx) => insertJobs(trx, requests, now));
}

/**
 * Makes a pending job of `request.type` due by `now`, inside the caller's write transaction:
 * brings the earliest pending one forward when it waits for a later run_at (a snoozed retry),
 * or enqueues `request` when none is pending. A running one is not enough: it may already
 * have looked for work.
 */
export async function bringForwardOrEnqueue(trx: Db, request: EnqueueRequest, now: number): Promise<void> {
  const stamp = toInstant(now);
  const pending = await trx
    .selectFrom("job")
    .select(["id", "run_at"])
    .where("type", "=", request.type)
    .where("state", "=", "pending")
    .orderBy("run_at")
    .limit(1)
    .executeTakeFirst();
  if (pending) {
    if (pending.run_at > stamp) {
      await trx.updateTable("job").set({ run_at: stamp, updated_at: stamp }).where("id", "=", pending.id).execute();
      await announceJobs(trx);
    }
    return;
  }
  await insertJobs(trx, [request], now);
}

/**
 * Makes job `id` due by `now` when it is pending with a later run_at (a retry waiting for its
 * backoff), inside the caller's write transaction.
 */
export async function bringForward(trx: Db, id: number, now: number): Promise<void> {
  const stamp = toInstant(now);
  const moved = await trx
    .updateTable("job")
    .set({ run_at: stamp, updated_at: stamp })
    .where("id", "=", id)
    .where("state", "=", "pending")
    .where("run_at", ">", stamp)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) > 0) await announceJobs(trx);
}

/** Wakes idle workers for jobs that became due in this transaction (NOTIFY on PostgreSQL; SQLite's workers poll). */
export function announceJobs(trx: Db): Promise<void> {
  return byDialect(trx, { sqlite, postgres }).announceJobs(trx);
}

/** SQL condition: a pending or running job holds the dedupe key `key` (an SQL expression over the caller's rows). */
export const liveJobWithKey = (key: RawBuilder<unknown>): RawBuilder<boolean> =>
  sql<boolean>`exists (select 1 from job j where j.dedupe_key = ${key} and j.state in ('pending', 'running'))`;

export interface QueryEnqueue {
  type: string;
  maxAttempts: number;
  /**
   * The jobs, one per row, in the order they are enqueued: columns `payload` (JSON text),
   * `priority` and `dedupe_key`. Rows whose key a live job holds must be left out
   * (`not ${liveJobWithKey(...)}`): the dedupe index refuses a second live job.
   */
  rows: RawBuilder<unknown>;
}

/**
 * Enqueues the rows of a query, due now, in one INSERT ... SELECT inside the caller's write
 * transaction: for sets decided in SQL (a first refresh tick makes tens of thousands of jobs),
 * which `insertJobs` would bring through JavaScript row by row. Returns the jobs in insertion order.
 */
export async function insertJobsFromQuery(
  trx: Db,
  q: QueryEnqueue,
  now: number,
): Promise<Array<{ id: number; priority: number; payload: string }>> {
  const stamp = toInstant(now);
  const f = fragments(trx);
  const rows = await sql<{ id: number; priority: number; payload: string }>`
    insert into job (type, payload, priority, run_at, max_attempts, dedupe_key, created_at, updated_at)
    select ${q.type}, ${f.json(sql.ref("q.payload"))}, q.priority, ${f.instant(stamp)}, ${q.maxAttempts}, q.dedupe_key, ${f.instant(stamp)}, ${f.instant(stamp)}
    from (${q.rows}) q
    returning id, priority, payload`.execute(trx);
  if (rows.rows.length > 0) await announceJobs(trx);
  return rows.rows.sort((a, b) => a.id - b.id);
}

const CHUNK = 5000;

/**
 * Inserts jobs; call inside a transaction that holds the write lock (see `immediate`).
 * Rows go in as multi-row inserts (SQLite) or one JSON array per chunk (PostgreSQL), which
 * is what makes bulk enqueue fast; ids come back in insertion order.
 */
export async function insertJobs(trx: Db, requests: EnqueueRequest[], now: number): Promise<EnqueueResult[]> {
  const results: Array<EnqueueResult | undefined> = new Array(requests.length);
  const live = await liveHolders(trx, [...new Set(requests.map((r) => r.dedupeKey).filter((k): k is string => typeof k === "string"))]);
  const parentState = await parentStates(trx, requests);

  const toInsert: number[] = [];
  const firstOfKey = new Map<string, number>();
  requests.forEach((r, i) => {
    const key = r.dedupeKey ?? null;
    if (key !== null) {
      const holder = live.get(key);
      if (holder !== undefined) {
        assertSameType(key, holder, r.type);
        return void (results[i] = { id: holder.id, created: false });
      }
      const first = firstOfKey.get(key);
      if (first !== undefined) {
        assertSameType(key, { id: null, type: (requests[first] as EnqueueRequest).type }, r.type);
        return; // resolved after the insert
      }
      firstOfKey.set(key, i);
    }
    toInsert.push(i);
  });

  const stamp = toInstant(now);
  // Consecutive jobs that share everything but their payload (the NDJSON case) go in as
  // payloads only, others as whole rows; ids follow the order of the requests.
  let run: number[] = [];
  let runOfPayloads = false;
  const flush = async () => {
    for (let c = 0; c < run.length; c += CHUNK) {
      const chunk = run.slice(c, c + CHUNK);
      const rs = chunk.map((i) => requests[i] as EnqueueRequest);
      const inserted = runOfPayloads ? await insertPayloads(trx, rs, now, stamp) : await insertRows(trx, rs, now, stamp, parentState);
      assignIds(results, chunk, inserted);
    }
    run = [];
  };
  for (const i of toInsert) {
    const r = requests[i] as EnqueueRequest;
    const payloadOnly = r.dedupeKey == null && r.dependsOn == null && r.timeoutMs == null && isPlainObject(r.payload);
    if (
      run.length > 0 &&
      (payloadOnly !== runOfPayloads || (payloadOnly && !sameSharedColumns(requests[run[0] as number] as EnqueueRequest, r, now)))
    )
      await flush();
    runOfPayloads = payloadOnly;
    run.push(i);
  }
  await flush();
  if (toInsert.length > 0) await announceJobs(trx);

  requests.forEach((r, i) => {
    if (results[i] === undefined) {
      const first = results[firstOfKey.get(r.dedupeKey as string) as number] as EnqueueResult;
      results[i] = { id: first.id, created: false };
    }
  });
  return results as EnqueueResult[];
}

/** The pending or running jobs that hold these dedupe keys, by key (500 keys a statement: bound parameters are limited). */
export async function liveHolders(trx: Db, keys: readonly string[]): Promise<Map<string, { id: number; type: string }>> {
  const live = new Map<string, { id: number; type: string }>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await trx
      .selectFrom("job")
      .select(["id", "type", "dedupe_key"])
      .where("dedupe_key", "in", keys.slice(i, i + 500))
      .where("state", "in", ["pending", "running"])
      .execute();
    for (const r of rows) live.set(r.dedupe_key as string, { id: r.id, type: r.type });
  }
  return live;
}

/**
 * A dedupe key stands for one job of one type: enqueueing that job again returns the holder.
 * A job of another type with the key is a mistake, refused rather than silently dropped (the
 * unique index on dedupe_key alone would allow only one of them anyway).
 */
function assertSameType(key: string, holder: { id: number | null; type: string }, type: string): void {
  if (holder.type === type) return;
  const who = holder.id === null ? `${withArticle(holder.type)} job enqueued with it` : `job ${holder.id} (${holder.type})`;
  throw new UsageError(`dedupe key "${key}" is held by ${who}`, { hint: "a key belongs to one job type: choose another" });
}

/** Jobs that differ only in payload: the payload objects are the JSON array. */
function insertPayloads(trx: Db, rs: EnqueueRequest[], now: number, stamp: string): Promise<number[]> {
  const r = rs[0] as EnqueueRequest;
  const shared = {
    type: r.type,
    priority: r.priority ?? 0,
    runAt: toInstant(r.runAt ?? now),
    maxAttempts: r.maxAttempts,
    scheduleId: r.scheduleId ?? null,
    batchId: r.batchId ?? null,
  };
  return byDialect(trx, { sqlite, postgres }).insertPayloadArray(
    trx,
    shared,
    rs.map((x) => x.payload),
    stamp,
  );
}

function insertRows(trx: Db, rs: EnqueueRequest[], now: number, stamp: string, parentState: Map<number, string>): Promise<number[]> {
  const rows = rs.map((r) => [
    r.type,
    JSON.stringify(r.payload ?? {}),
    r.priority ?? 0,
    toInstant(r.runAt ?? now),
    r.maxAttempts,
    r.dedupeKey ?? null,
    r.scheduleId ?? null,
    r.batchId ?? null,
    r.dependsOn ?? null,
    r.dependsOn == null ? 0 : blockedBy(parentState.get(r.dependsOn) ?? ""),
    r.timeoutMs ?? null,
  ]);
  return byDialect(trx, { sqlite, postgres }).insertRowArray(trx, rows, stamp);
}

/** The states of the jobs requests depend on; a parent that is gone, dead or cancelled is refused. */
async function parentStates(trx: Db, requests: EnqueueRequest[]): Promise<Map<number, string>> {
  const ids = [...new Set(requests.map((r) => r.dependsOn).filter((id): id is number => typeof id === "number"))];
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom("job").select(["id", "state"]).where("id", "in", ids).execute();
  const states = new Map(rows.map((r) => [r.id, r.state as string]));
  for (const id of ids) {
    const state = states.get(id);
    if (state === undefined) throw new UsageError(`no job with id ${id} to depend on`, { code: "NOT_FOUND" });
    if (state === "dead" || state === "cancelled") throw new UsageError(`job ${id} is ${state}: a job depending on it would never run`);
  }
  return states;
}

function assignIds(results: Array<EnqueueResult | undefined>, requestIndexes: number[], ids: number[]): void {
  requestIndexes.forEach((reqIndex, k) => (results[reqIndex] = { id: ids[k] as number, created: true }));
}

/** Whether two jobs agree on insertPayloads' shared columns (compared field by field: this runs once per job). */
function sameSharedColumns(a: EnqueueRequest, b: EnqueueRequest, now: number): boolean {
  return (
    a.type === b.type &&
    (a.priority ?? 0) === (b.priority ?? 0) &&
    (a.runAt ?? now) === (b.runAt ?? now) &&
    a.maxAttempts === b.maxAttempts &&
    (a.scheduleId ?? null) === (b.scheduleId ?? null) &&
    (a.batchId ?? null) === (b.batchId ?? null)
  );
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
