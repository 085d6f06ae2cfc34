import { JOB_STATES, type JobState } from "../../core/queue/schema.ts";
import { brandPayloadRefs } from "../../core/brands/job-refs.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { listJobs } from "../../core/queue/inspect.ts";
import { findSchedule } from "../../core/schedule/store.ts";
import { formatRelative } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { sinceOption } from "../shared/options.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { jobJson } from "./json.ts";

export interface JobsListOptions extends PagingFlags {
  state?: string[];
  type?: string[];
  brand?: string;
  customer?: string;
  schedule?: string;
  since?: string;
  json?: boolean;
}

export async function jobsList(g: GlobalOptions, o: JobsListOptions): Promise<number> {
  for (const s of o.state ?? []) {
    if (!(JOB_STATES as readonly string[]).includes(s))
      throw new UsageError(`unknown state "${s}": expected one of ${JOB_STATES.join(", ")}`);
  }
  const page = pageOption(o, 50);
  const since = sinceOption(o.since, "--since", Date.now());
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const scheduleId = o.schedule === undefined ? undefined : (await findSchedule(ctx.db, o.schedule)).id;
    const brandRefs =
      o.brand === undefined && o.customer === undefined
        ? undefined
        : await brandPayloadRefs(ctx.db, { brand: o.brand, customer: o.customer });
    const { items: jobs, total } = await listJobs(
      ctx.db,
      {
        states: (o.state as JobState[] | undefined) ?? [],
        types: o.type ?? [],
        scheduleId,
        since,
        payload: brandRefs === undefined ? undefined : { field: "brand", values: brandRefs },
      },
      page,
    );
    if (o.json) {
      printJson({ ...pageJson(page, total, jobs.length), jobs: jobs.map(jobJson) });
      return ExitCode.Ok;
    }
    if (jobs.length === 0) {
      printLine(pastTheEnd(page, total, "jobs") ?? "no jobs match");
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
    printMore(page, total, jobs.length);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
