import { JOB_TYPES, loadJobType } from "../../job-types.ts";
import { retryPolicy } from "../../core/queue/backoff.ts";
import { formatDuration } from "../../core/time.ts";
import { printJson, printTable } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function jobsTypes(o: { json?: boolean }): Promise<number> {
  const defs = await Promise.all(JOB_TYPES.map((t) => loadJobType(t)));
  const rows = defs.map((d) => {
    const p = retryPolicy(d.retry);
    return {
      type: d.type,
      summary: d.summary,
      maxAttempts: p.maxAttempts,
      retryDelaysMs: p.delaysMs.slice(0, Math.max(0, p.maxAttempts - 1)),
      timeoutMs: d.timeoutMs ?? null,
    };
  });
  if (o.json) printJson({ types: rows });
  else
    await printTable(
      ["type", "attempts", "retry after", "summary"],
      rows.map((r) => [r.type, r.maxAttempts, r.retryDelaysMs.map(formatDuration).join(", ") || "-", r.summary]),
    );
  return ExitCode.Ok;
}
