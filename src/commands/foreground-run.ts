import type { AttemptEnd } from "../core/queue/finish.ts";
import type { RunNowResult } from "../core/runtime/run-now.ts";
import { formatRelative, toInstant } from "../core/time.ts";
import { ExitCode } from "../core/errors.ts";
import type { CommandContext } from "./shared/context.ts";
import { runTypeNow } from "./shared/run-now.ts";
import { onStopSignals } from "./shared/signals.ts";

/** Runs a job type now in this process (recorded like a `process` run); Ctrl-C cancels it. */
export async function runInForeground(ctx: CommandContext, type: string, payload: unknown): Promise<RunNowResult> {
  const signals = onStopSignals();
  try {
    return await runTypeNow(ctx, type, payload, signals);
  } finally {
    signals.dispose();
  }
}

/** Why a run did not complete and, when it waits in the queue, when `process` takes it up again (for --json). */
export function runEnd(end: AttemptEnd): { error?: string; runAt?: string } {
  const out: { error?: string; runAt?: string } = {};
  const why = "error" in end ? end.error : "reason" in end ? end.reason : undefined;
  if (why !== undefined) out.error = why;
  if ("runAt" in end) out.runAt = toInstant(end.runAt);
  return out;
}

/** The job waits in the queue (a retry with backoff, or the end of a rate limit): `process` finishes it. */
export const waitsInQueue = (end: AttemptEnd): boolean => end.kind === "retry" || end.kind === "snoozed";

/**
 * One line on stderr for a foreground run that did not complete, and its exit code: 75 when the
 * job waits in the queue for `leadjobs process`, 1 when it died or was cancelled.
 */
export function reportUnfinished(run: RunNowResult, what: string, now: number): number {
  const { error, runAt } = runEnd(run.end);
  const later = runAt ? ` (\`leadjobs process\` continues it ${formatRelative(runAt, now)})` : "";
  process.stderr.write(`leadjobs: ${what} job ${run.jobId} ${run.end.kind}: ${error ?? "did not complete"}${later}\n`);
  return waitsInQueue(run.end) ? ExitCode.TempFail : ExitCode.Failure;
}
