import { JOB_STATES, type JobState } from "../../core/queue/schema.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { listJobs } from "../../core/queue/inspect.ts";
import { formatRelative } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { intOption } from "../shared/options.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";
import { jobJson } from "./json.ts";

export interface JobsListOptions {
  state?: string[];
  type?: string[];
  limit?: string;
  json?: boolean;
}

export async function jobsList(g: GlobalOptions, o: JobsListOptions): Promise<number> {
  for (const s of o.state ?? []) {
    if (!(JOB_STATES as readonly string[]).includes(s))
      throw new UsageError(`unknown state "${s}": expected one of ${JOB_STATES.join(", ")}`);
  }
  const limit = intOption(o.limit, "--limit", 1, 100_000) ?? 50;
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const jobs = await listJobs(ctx.db, { states: (o.state as JobState[] | undefined) ?? [], types: o.type ?? [], limit });
    if (o.json) {
      printJson({ jobs: jobs.map(jobJson) });
      return ExitCode.Ok;
    }
    if (jobs.length === 0) {
      printLine("no jobs match");
      return ExitCode.Ok;
    }
    const now = ctx.clock();
    await printTable(
      ["id", "type", "state", "attempts", "priority", "run at", "updated", "last error"],
      jobs.map((j) => [
        j.id,
        j.type,
        j.state,
        `${j.attempts}/${j.max_attempts}`,
        j.priority,
        formatRelative(j.run_at, now),
        formatRelative(j.updated_at, now),
        truncate(j.last_error, 50),
      ]),
    );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
