import { readFileSync } from "node:fs";
import { plural } from "../../core/util/plural.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { isJobType, loadJobType } from "../../job-types.ts";
import { batchIdOf, checkGivenDedupeKey, checkReferencesOfEach, dedupeKeyOf, parsePayload } from "../../core/jobs/payload.ts";
import { retryPolicy } from "../../core/queue/backoff.ts";
import { enqueueJobs, type EnqueueRequest } from "../../core/queue/enqueue.ts";
import { parseNdjson } from "../../core/queue/ndjson.ts";
import { parseDuration, parseInstantOption } from "../../core/time.ts";
import { assertAllowed } from "../../core/users/permissions.ts";
import { actingUser } from "../shared/actor.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { durationOption, intOption, jsonOption, positiveId } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";

export interface JobsAddOptions {
  payload?: string;
  from?: string;
  runAt?: string;
  priority?: string;
  dedupeKey?: string;
  maxAttempts?: string;
  dependsOn?: string;
  timeout?: string;
  json?: boolean;
}

export async function jobsAdd(g: GlobalOptions, type: string, o: JobsAddOptions): Promise<number> {
  if (o.payload !== undefined && o.from !== undefined) throw new UsageError("use either --payload or --from, not both");
  if (o.from !== undefined && o.dedupeKey !== undefined)
    throw new UsageError("--dedupe-key applies to a single job; it cannot be used with --from");
  const def = await loadJobType(type);
  if (o.dedupeKey !== undefined) await checkGivenDedupeKey(def, o.dedupeKey, async (t) => (isJobType(t) ? loadJobType(t) : undefined));
  const priority = intOption(o.priority, "--priority", -1_000_000, 1_000_000) ?? 0;
  const maxAttempts = intOption(o.maxAttempts, "--max-attempts", 1, 1000) ?? retryPolicy(def.retry).maxAttempts;
  const dependsOn = o.dependsOn === undefined ? null : positiveId(o.dependsOn, "--depends-on");
  const timeoutMs = durationOption(o.timeout, "--timeout") ?? null;
  if (timeoutMs === 0) throw new UsageError(`invalid --timeout "${o.timeout}": a run needs some time; give more than 0`);
  const runAtFrom = parseWhen(o.runAt);
  const payloads =
    o.from !== undefined
      ? readNdjson(o.from).map(({ line, value }) => parsePayload(def, value, ` on line ${line}`))
      : [parsePayload(def, jsonOption(o.payload ?? "{}", "--payload"))];
  if (payloads.length === 0) throw new UsageError(`no payloads in ${o.from === "-" ? "stdin" : o.from}`);

  const ctx = await openContext(g);
  try {
    assertAllowed(await actingUser(ctx.db, undefined), { kind: "jobs.write" });
    await checkReferencesOfEach(def, payloads, ctx, (i) => (o.from !== undefined ? ` (payload ${i + 1})` : ""));
    const now = ctx.clock();
    const runAt = runAtFrom(now);
    const requests: EnqueueRequest[] = payloads.map((payload) => ({
      type,
      payload,
      runAt,
      priority,
      maxAttempts,
      dedupeKey: dedupeKeyOf(def, payload, o.dedupeKey),
      batchId: batchIdOf(def, payload, null),
      dependsOn,
      timeoutMs,
    }));
    const results = await enqueueJobs(ctx.db, requests, now);
    const created = results.filter((r) => r.created).length;
    if (o.json) {
      printJson({ type, created, existing: results.length - created, jobs: results });
    } else if (results.length === 1) {
      const r = results[0] as { id: number; created: boolean };
      const key = (requests[0] as EnqueueRequest).dedupeKey;
      printLine(r.created ? `enqueued ${type} job ${r.id}` : `${type} job ${r.id} is already queued with dedupe key "${key}"`);
    } else {
      printLine(`enqueued ${plural(created, `${type} job`)} (${idRange(results.map((r) => r.id))})`);
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/** `id 7` or `ids 7–9`: a loop, not Math.min(...ids), which overflows the stack on a file of 150,000 jobs. */
function idRange(ids: number[]): string {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const id of ids) {
    if (id < min) min = id;
    if (id > max) max = id;
  }
  return min === max ? `id ${min}` : `ids ${min}–${max}`;
}

function readNdjson(from: string): Array<{ line: number; value: unknown }> {
  let text: string;
  try {
    text = readFileSync(from === "-" ? 0 : from, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${from}: ${(e as Error).message}`);
  }
  return parseNdjson(text, from === "-" ? "stdin" : from);
}

/** `--run-at`: an ISO time, or a delay from now such as 10m; checked before the database is opened. */
function parseWhen(text: string | undefined): (now: number) => number {
  if (text === undefined) return (now) => now;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = parseInstantOption(text, "--run-at");
    return () => at;
  }
  const delay = parseDuration(text, "--run-at");
  return (now) => now + delay;
}
