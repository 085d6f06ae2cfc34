import type { Command } from "commander";
import { collect, globals, type SetExit } from "../shared/grammar.ts";

/** process, jobs, status, seed: the foundation commands. */
export function registerQueueCommands(program: Command, setExit: SetExit): void {
  program.command("process")
    .description("worker: claim due jobs, run them, retry or dead-letter failures; exits when none is due")
    .option("--concurrency <n>", "jobs run at once (default 5; LEADJOBS_CONCURRENCY)")
    .option("--type <type>", "only these job types (repeatable)", collect)
    .option("--max-jobs <n>", "stop claiming after n jobs")
    .option("--max-runtime <duration>", "stop claiming after this long; running jobs get --grace, then are released")
    .option("--wait", "keep polling for new work (until --max-runtime or a signal)")
    .option("--poll <duration>", "poll interval with --wait (default 1s)")
    .option("--lease <duration>", "lease length, renewed while a job runs (default 30s)")
    .option("--grace <duration>", "on SIGTERM/SIGINT or --max-runtime: time running jobs get before release (default 10s)")
    .option("--json", "print the run summary as JSON")
    .option("--ping-url <url>", "Healthchecks-style dead man's switch: URL/start, then URL or URL/<exit code>")
    .action(async (opts, cmd: Command) => {
      const { processCommand } = await import("../process.ts");
      setExit(await processCommand(globals(cmd), opts));
    });

  const jobs = program.command("jobs").description("enqueue, list, inspect, retry and cancel jobs");
  jobs.command("add")
    .description("enqueue a job (or one per NDJSON line with --from), all in one transaction")
    .argument("<type>", "job type (see `leadjobs jobs types`)")
    .option("--payload <json>", "payload as JSON (default {})")
    .option("--from <file>", "NDJSON file of payloads, one per line; - for stdin")
    .option("--run-at <when>", "ISO time, or a delay such as 10m (default now)")
    .option("--priority <n>", "higher runs first (default 0)")
    .option("--dedupe-key <key>", "return the live job with this key instead of adding another")
    .option("--max-attempts <n>", "attempts before the job is dead (default: the type's policy)")
    .option("--depends-on <id>", "run only after job <id> completed (cancelled if it dies)")
    .option("--timeout <duration>", "abort a run after this long (default: the type's)")
    .option("--json", "print the job id(s) as JSON")
    .action(async (type: string, opts, cmd: Command) => {
      const { jobsAdd } = await import("./add.ts");
      setExit(await jobsAdd(globals(cmd), type, opts));
    });
  jobs.command("list")
    .description("list jobs, newest first")
    .option("--state <state>", "pending, running, completed, dead, cancelled (repeatable)", collect)
    .option("--type <type>", "job type (repeatable)", collect)
    .option("--limit <n>", "at most n jobs (default 50)")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { jobsList } = await import("./list.ts");
      setExit(await jobsList(globals(cmd), opts));
    });
  jobs.command("show")
    .description("a job's payload, attempts with their errors, progress and result")
    .argument("<id>", "job id")
    .option("--json", "print JSON")
    .action(async (id: string, opts, cmd: Command) => {
      const { jobsShow } = await import("./show.ts");
      setExit(await jobsShow(globals(cmd), id, opts));
    });
  jobs.command("retry")
    .description("put dead or cancelled jobs back in the queue, due now")
    .argument("[ids...]", "job ids")
    .option("--dead", "every dead job")
    .option("--json", "print JSON")
    .action(async (ids: string[], opts, cmd: Command) => {
      const { jobsRetry } = await import("./retry.ts");
      setExit(await jobsRetry(globals(cmd), ids, opts));
    });
  jobs.command("cancel")
    .description("cancel a pending job now, or ask a running one to stop")
    .argument("<ids...>", "job ids")
    .option("--json", "print JSON")
    .action(async (ids: string[], opts, cmd: Command) => {
      const { jobsCancel } = await import("./cancel.ts");
      setExit(await jobsCancel(globals(cmd), ids, opts));
    });
  jobs.command("types")
    .description("the job types this leadjobs can run")
    .option("--json", "print JSON")
    .action(async (opts) => {
      const { jobsTypes } = await import("./types.ts");
      setExit(await jobsTypes(opts));
    });

  program.command("status")
    .description("what is queued, running, failing and due; --check for monitoring")
    .option("--json", "print one JSON document")
    .option("--check", "exit 1 and say why when something is unhealthy")
    .option("--max-pending-age <duration>", "with --check: due work older than this is unhealthy (default 1h)")
    .option("--max-worker-idle <duration>", "with --check: no successful process run for this long is unhealthy (default 1h)")
    .option("--dead-window <duration>", "with --check: jobs that died within this window are unhealthy (default 24h)")
    .option("--now <iso>", "evaluate as if it were then")
    .action(async (opts, cmd: Command) => {
      const { statusCommand } = await import("../status.ts");
      setExit(await statusCommand(globals(cmd), opts));
    });

  program.command("seed")
    .description("fill the database with realistic, deterministic demo data")
    .option("--seed <n>", "random seed (default 1)")
    .option("--companies <n>", "companies (default 2000)")
    .option("--users <n>", "users (default 8)")
    .option("--tracked <n>", "company trackings with ranks 1-100 (default 400)")
    .option("--answers <n>", "stored sample AI answers for the demo brand (default 200)")
    .option("--reset", "delete existing data first")
    .option("--now <iso>", "pin the clock for fully reproducible rows")
    .option("--json", "print the counts as JSON")
    .action(async (opts, cmd: Command) => {
      const { seedCommand } = await import("../seed.ts");
      setExit(await seedCommand(globals(cmd), opts));
    });
}
