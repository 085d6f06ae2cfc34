import { errorMessage, ExitCode, UsageError } from "../core/errors.ts";
import { checkAdminEmail } from "../core/notify/email.ts";
import { isJobType, JOB_TYPES } from "../job-types.ts";
import { finishCommandRun, startCommandRun } from "../core/queue/command-runs.ts";
import { nextDueAt } from "../core/queue/inspect.ts";
import { runWorker, type WakeSource, type WorkerSummary } from "../core/runtime/worker.ts";
import { formatDuration } from "../core/time.ts";
import type { Config } from "../core/config.ts";
import { type CommandContext, configOnce, openContextWith, type GlobalOptions } from "./shared/context.ts";
import { durationOption, intOption } from "./shared/options.ts";
import { printJson, printLine, stdoutIsTty } from "./shared/output.ts";
import { onStopSignals } from "./shared/signals.ts";
import { withPing } from "./shared/ping.ts";
import { rescueLost } from "./shared/rescue-lost.ts";
import { runtimeDeps } from "./shared/run-now.ts";

export interface ProcessOptions {
  concurrency?: string;
  type?: string[];
  maxJobs?: string;
  maxRuntime?: string;
  wait?: boolean;
  poll?: string;
  lease?: string;
  grace?: string;
  json?: boolean;
  pingUrl?: string;
}

export async function processCommand(g: GlobalOptions, o: ProcessOptions): Promise<number> {
  const settings = configOnce(g, { concurrency: o.concurrency, lease: o.lease, grace: o.grace, poll: o.poll });
  return withPing(o.pingUrl, g, "process", settings, () => runProcess(g, o, settings));
}

async function runProcess(g: GlobalOptions, o: ProcessOptions, settings: () => Config): Promise<number> {
  const maxJobs = intOption(o.maxJobs, "--max-jobs", 1);
  const maxRuntime = durationOption(o.maxRuntime, "--max-runtime");
  for (const t of o.type ?? []) {
    if (!isJobType(t)) throw new UsageError(`unknown job type "${t}"`, { hint: `known types: ${JOB_TYPES.join(", ")}` });
  }
  try {
    checkAdminEmail(settings());
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
  // A claim-and-finish transaction, the lease keeper, and handlers' own queries.
  const ctx = await openContextWith(g, settings(), { poolSize: Math.min(settings().concurrency + 2, 10) });
  const signals = onStopSignals();
  try {
    const started = ctx.clock();
    const runId = await startCommandRun(ctx.db, "process", ctx.owner, started);
    const rescued = await rescueLost(ctx);

    const listener = o.wait ? await jobListener(ctx) : undefined;
    const summary = await runWorker({
      ...runtimeDeps(ctx),
      wakeups: listener?.source,
      nextDue: () => nextDueAt(ctx.db, ctx.clock()),
      owner: ctx.owner,
      concurrency: ctx.config.concurrency,
      types: o.type,
      maxJobs,
      deadline: maxRuntime === undefined ? undefined : started + maxRuntime,
      wait: Boolean(o.wait),
      pollMs: ctx.config.poll,
      leaseMs: ctx.config.lease,
      graceMs: ctx.config.grace,
      stop: signals.stop,
      kill: signals.kill,
      onJobEnd: (run, end) => {
        const label = `job ${run.job.id} (${run.job.type}) attempt ${run.job.attempt}/${run.job.maxAttempts}`;
        if (end.kind === "dead") ctx.log.error(`${label} died: ${end.error}`);
        else if (end.kind === "retry") ctx.log.info(`${label} failed, retry at ${new Date(end.runAt).toISOString()}: ${end.error}`);
        else ctx.log.debug(`${label} ${end.kind}`);
      },
    }).finally(() => listener?.close());
    const exitCode = summary.stoppedBy === "disk-full" ? ExitCode.TempFail : summary.died > 0 ? ExitCode.Failure : ExitCode.Ok;
    const report = { ...summary, rescued: rescued.length, durationMs: ctx.clock() - started };
    if (summary.stoppedBy === "disk-full") {
      await finishCommandRun(ctx.db, runId, exitCode, report, ctx.clock()).catch((e: unknown) =>
        ctx.log.error(`could not record the end of this run: ${(e as Error).message}`),
      );
    } else {
      await finishCommandRun(ctx.db, runId, exitCode, report, ctx.clock());
    }
    if (o.json) printJson(report);
    else if (stdoutIsTty() || summary.died > 0 || exitCode === ExitCode.TempFail) printLine(describe(summary, report.durationMs));
    return exitCode;
  } finally {
    signals.dispose();
    await ctx.close();
  }
}

function describe(s: WorkerSummary, durationMs: number): string {
  const parts = [`${s.completed} completed`];
  if (s.retried) parts.push(`${s.retried} to retry`);
  if (s.died) parts.push(`${s.died} dead`);
  if (s.snoozed) parts.push(`${s.snoozed} snoozed`);
  if (s.cancelled) parts.push(`${s.cancelled} cancelled`);
  if (s.released) parts.push(`${s.released} released`);
  if (s.lost) parts.push(`${s.lost} lost to other workers`);
  const why = s.stoppedBy === "drained" ? "no due job left" : s.stoppedBy;
  return `processed ${s.claimed} job${s.claimed === 1 ? "" : "s"} in ${formatDuration(durationMs)}: ${parts.join(", ")} (stopped: ${why})`;
}

/**
 * On PostgreSQL, `process --wait` listens for new jobs (LISTEN/NOTIFY) instead of polling; where
 * the listening connection cannot be had, it polls as on SQLite, and says so. While a lost one is
 * re-established (with backoff) it polls too, and says when it listens again.
 */
async function jobListener(ctx: CommandContext): Promise<{ source: WakeSource; close: () => Promise<void> } | undefined> {
  if (ctx.store.dialect !== "postgres") return undefined;
  const { listenForJobs } = await import("../core/queue/listen.postgres.ts");
  let onWake: () => void = () => undefined;
  try {
    // The worker is woken on a loss and a return too: it polls only while the listener is lost.
    const listener = await listenForJobs(
      ctx.store.url,
      {
        onJobs: () => onWake(),
        onLost: (e) => {
          ctx.log.warn(
            `lost the connection that listens for new jobs (${e.message}): polling every ${ctx.config.poll} ms until it is back`,
          );
          onWake();
        },
        onBack: () => {
          ctx.log.warn("listening again for new jobs: no longer polling");
          onWake();
        },
      },
      { random: ctx.random },
    );
    return {
      source: {
        subscribe: (fn) => void (onWake = fn),
        get live() {
          return listener.live;
        },
      },
      close: () => listener.close(),
    };
  } catch (e) {
    ctx.log.warn(`cannot listen for new jobs (${(e as Error).message}): polling every ${ctx.config.poll} ms instead`);
    return undefined;
  }
}
