// The cron fast path, tried by bin/leadjobs before the CLI (cli.ts) loads: `--version`, an idle
// `enqueue` tick (src/fast/enqueue.ts), and a `process` that finds nothing to do, answered with
// one prepared statement over the raw better-sqlite3 handle, without commander, Kysely or the worker. It does exactly what the full
// command would do on an idle queue (the same command_run row, the same output, exit 0); anything
// else — another command or option, a TTY, a bad setting, a missing database, a job running or
// due, any error — returns undefined and the full CLI runs (and reports the error) as always.
import { existsSync, statSync } from "node:fs";
import { workerIdentity } from "./core/runtime/owner.ts";
import pkg from "../package.json" with { type: "json" };
import { ExitCode } from "./core/errors.ts";
import { openSqlite } from "./core/db/open.sqlite.ts";
import { emptyWorkerSummary } from "./core/runtime/summary.ts";
import { recordRunIfIdle } from "./core/queue/idle.sqlite.ts";
import { isJobType } from "./job-types.ts";
import { durationOption, intOption } from "./commands/shared/options.ts";
import { ignoreClosedStdout, printJson, stdoutIsTty } from "./commands/shared/output.ts";
import { loadConfig } from "./commands/shared/settings.ts";
import type { GlobalOptions } from "./commands/shared/context.ts";
import { globalOptions, option } from "./fast/args.ts";
import { idleEnqueue } from "./fast/enqueue.ts";

const PROCESS_VALUES = new Set(["--type", "--concurrency", "--max-jobs", "--max-runtime", "--lease", "--grace", "--poll"]);
/** A shorter --max-runtime could stop the worker (max-runtime) before its first claim. */
const MIN_RUNTIME_MS = 60_000;

/** The exit code when the fast path answered, undefined when the full CLI must run. */
export async function fastPath(argv: readonly string[]): Promise<number | undefined> {
  try {
    return fastPathOrUndefined(argv.slice(2));
  } catch {
    return undefined;
  }
}

function fastPathOrUndefined(args: string[]): number | undefined {
  const { g, rest } = globalOptions(args);
  if (rest[0] === "process" || rest[0] === "enqueue" || rest[0] === "--version" || rest[0] === "-V") ignoreClosedStdout(); // as main() does (a fallback to main() adds a second, equal listener)
  if (rest.length === 1 && (rest[0] === "--version" || rest[0] === "-V")) {
    process.stdout.write(`${pkg.version}\n`);
    return ExitCode.Ok;
  }
  if (rest[0] === "process") return idleProcess(g, rest.slice(1));
  if (rest[0] === "enqueue") return idleEnqueue(g, rest.slice(1));
  return undefined;
}

function idleProcess(g: GlobalOptions, args: string[]): number | undefined {
  const o: Record<string, string | undefined> = {};
  const types: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const opt = option(args, i, PROCESS_VALUES);
    if (!opt) return undefined;
    if (opt.name === "--json") json = true;
    else if (opt.name === "--type") types.push(opt.value as string);
    else if (PROCESS_VALUES.has(opt.name) && !(opt.name in o)) o[opt.name] = opt.value;
    else return undefined;
    i = opt.next;
  }
  if (stdoutIsTty() || types.some((t) => !isJobType(t))) return undefined;
  intOption(o["--max-jobs"], "--max-jobs", 1);
  const maxRuntime = durationOption(o["--max-runtime"], "--max-runtime");
  if (maxRuntime !== undefined && maxRuntime < MIN_RUNTIME_MS) return undefined;
  const config = loadConfig(g, { concurrency: o["--concurrency"], lease: o["--lease"], grace: o["--grace"], poll: o["--poll"] });
  // A missing or empty file is the full path's to refuse (it says why), as is any error opening it.
  if (!config.db || config.db === ":memory:" || !existsSync(config.db) || statSync(config.db).size === 0) return undefined;

  const sqlite = openSqlite(config.db, { busyTimeoutMs: config.busyTimeout });
  let recorded: unknown;
  let idle: boolean;
  try {
    idle = recordRunIfIdle(sqlite, types, {
      command: "process",
      owner: workerIdentity().owner,
      startedAt: Date.now(),
      clock: Date.now,
      exitCode: ExitCode.Ok,
      summary: (durationMs) => (recorded = idleSummary(durationMs)),
    });
  } finally {
    sqlite.close();
  }
  if (!idle) return undefined;
  if (json) printJson(recorded);
  return ExitCode.Ok;
}

/** What `process` reports (and records) when it claimed nothing: the worker's summary, then rescued and durationMs. */
export function idleSummary(durationMs: number) {
  return { ...emptyWorkerSummary(), rescued: 0, durationMs };
}
