import type { Command } from "commander";
import { collect, globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

/** jobs: enqueue, list, inspect, retry and cancel jobs. */
export function registerJobs(program: Command, setExit: SetExit): void {
  const jobs = program.command("jobs").description("enqueue, list, inspect, retry and cancel jobs");
  jobs
    .command("add")
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
  pagingOptions(jobs.command("list"), "jobs", 50)
    .description("list jobs, newest first")
    .option("--state <state>", "pending, running, completed, dead, cancelled (repeatable)", collect)
    .option("--type <type>", "job type (repeatable)", collect)
    .option("--brand <brand>", "jobs for this brand (name or id)")
    .option("--customer <name>", "jobs for this customer's brands")
    .option("--schedule <name>", "jobs this schedule enqueued (name or id)")
    .option("--since <when>", "created at or after: an ISO time or an age such as 7d")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { jobsList } = await import("./list.ts");
      setExit(await jobsList(globals(cmd), opts));
    });
  jobs
    .command("show")
    .description("a job's payload, attempts with their errors, progress and result")
    .argument("<id>", "job id")
    .option("--json", "print JSON")
    .action(async (id: string, opts, cmd: Command) => {
      const { jobsShow } = await import("./show.ts");
      setExit(await jobsShow(globals(cmd), id, opts));
    });
  jobs
    .command("retry")
    .description("put dead or cancelled jobs back in the queue, due now")
    .argument("[ids...]", "job ids")
    .option("--dead", "every dead job")
    .option("--json", "print JSON")
    .action(async (ids: string[], opts, cmd: Command) => {
      const { jobsRetry } = await import("./retry.ts");
      setExit(await jobsRetry(globals(cmd), ids, opts));
    });
  jobs
    .command("cancel")
    .description("cancel a pending job now, or ask a running one to stop")
    .argument("<ids...>", "job ids")
    .option("--json", "print JSON")
    .action(async (ids: string[], opts, cmd: Command) => {
      const { jobsCancel } = await import("./cancel.ts");
      setExit(await jobsCancel(globals(cmd), ids, opts));
    });
  jobs
    .command("types")
    .description("the job types this leadjobs can run; with a NAME, that type's payload fields")
    .argument("[name]", "a job type, e.g. leads.analyze")
    .option("--json", "print JSON")
    .action(async (name: string | undefined, opts) => {
      const { jobsTypes } = await import("./types.ts");
      setExit(await jobsTypes(name, opts));
    });
}
