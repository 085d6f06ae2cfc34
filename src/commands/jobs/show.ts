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
    const batch = job.batch_id === null ? null : await (await import("../../core/web/batch-report.ts")).batchOfJob(ctx.db, job.batch_id);
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
    if (job.progress) lines.push(["progress", job.progress]);
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
