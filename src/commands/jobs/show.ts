import { getJob } from "../../core/queue/inspect.ts";
import { formatDuration, formatRelative } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { attemptJson, jobJson } from "./json.ts";
import { positiveId } from "../shared/options.ts";
import { bold, printFields, printJson, printLine, printTable, truncate } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function jobsShow(g: GlobalOptions, idText: string, o: { json?: boolean }): Promise<number> {
  const id = positiveId(idText);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const { job, attempts } = await getJob(ctx.db, id);
    const batch =
      job.batch_id === null ? null : await (await import("../../core/web/batch-report.ts")).batchReportIfAny(ctx.db, job.batch_id);
    if (o.json) {
      printJson({ job: jobJson(job), attempts: attempts.map(attemptJson), ...(batch ? { batch } : {}) });
      return ExitCode.Ok;
    }
    const now = ctx.clock();
    const lines: Array<[string, string]> = [
      ["type", job.type],
      ["state", job.state + (job.cancel_requested_at ? " (cancel requested)" : "")],
      ["attempts", `${job.attempts} of ${job.max_attempts}`],
      ["priority", String(job.priority)],
      ["run at", `${job.run_at} (${formatRelative(job.run_at, now)})`],
      ["created", `${job.created_at} (${formatRelative(job.created_at, now)})`],
      ["finished", job.finished_at ?? "-"],
      ["payload", job.payload],
    ];
    if (job.dedupe_key) lines.push(["dedupe key", job.dedupe_key]);
    if (job.lease_owner)
      lines.push(["lease", `${job.lease_owner} until ${job.lease_expires_at} (${formatRelative(job.lease_expires_at, now)})`]);
    if (job.schedule_id !== null) lines.push(["schedule", String(job.schedule_id)]);
    if (job.batch_id !== null) lines.push(["batch", String(job.batch_id)]);
    if (job.depends_on !== null) lines.push(["depends on", `job ${job.depends_on}${job.blocked ? " (waiting for it to complete)" : ""}`]);
    if (job.timeout_ms !== null) lines.push(["timeout", formatDuration(job.timeout_ms)]);
    const progress = progressBeyondResult(job.progress, job.result);
    if (progress) lines.push(["progress", progress]);
    if (job.result) lines.push(["result", job.result]);
    if (job.last_error) lines.push(["last error", job.last_error]);
    printLine(bold(`job ${job.id}`));
    printFields(lines);
    if (attempts.length > 0) {
      printLine("");
      await printTable(
        ["#", "started", "duration", "outcome", "worker", "error"],
        attempts.map((a) => [
          a.attempt,
          a.started_at,
          a.duration_ms === null ? "-" : formatDuration(a.duration_ms),
          a.outcome,
          a.worker,
          truncate(a.error, 60),
        ]),
      );
    }
    if (batch) await (await import("../web/batch-show.ts")).printBatch(batch);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/**
 * The progress fields the result does not repeat: a job that stores its report as progress (so a
 * failed run keeps it: budget.alerts, links.cleanup) would otherwise print the same JSON twice.
 */
export function progressBeyondResult(progress: string | null, result: string | null): string | null {
  if (!progress) return null;
  const p = JSON.parse(progress) as unknown;
  const r = result ? (JSON.parse(result) as unknown) : null;
  if (!isRecord(p) || !isRecord(r)) return progress;
  const rest = Object.entries(p).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(r[k]));
  if (rest.length === 0) return null;
  return JSON.stringify(Object.fromEntries(rest));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
