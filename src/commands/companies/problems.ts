import { formatOrgnr } from "../../core/domain/orgnr.ts";
import { listProblemCompanies } from "../../core/tracking/problems.ts";
import { formatRelative } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export interface ProblemsOptions extends PagingFlags {
  now?: string;
  json?: boolean;
}

/** `leadjobs companies problems`: flagged companies with their last errors. */
export async function companiesProblems(g: GlobalOptions, o: ProblemsOptions): Promise<number> {
  const page = pageOption(o, 100);
  const ctx = await openContext(g, {}, { now: o.now, readOnly: true });
  try {
    const now = ctx.clock();
    const list = await listProblemCompanies(ctx.db, page);
    if (o.json) {
      printJson({
        threshold: ctx.config.refreshFailureThreshold,
        ...pageJson(page, list.total, list.companies.length),
        companies: list.companies,
      });
      return ExitCode.Ok;
    }
    if (list.total === 0) {
      printLine("no problem companies: every tracked company's refresh is in the cadence");
      return ExitCode.Ok;
    }
    const past = pastTheEnd(page, list.total, "problem companies");
    if (past !== null) {
      printLine(past);
      return ExitCode.Ok;
    }
    await printTable(
      ["orgnr", "company", "problem since", "failures", "last success", "last error"],
      list.companies.map((c) => [
        formatOrgnr(c.orgnr),
        truncate(c.name, 32),
        formatRelative(c.problemSince, now),
        c.consecutiveFailures,
        c.lastSuccessAt ? formatRelative(c.lastSuccessAt, now) : "never",
        truncate(c.lastMessage, 60),
      ]),
    );
    for (const c of list.companies) {
      if (c.lastErrors.length === 0) continue;
      printLine(`${formatOrgnr(c.orgnr)} ${c.name} (${c.website ?? "no website"}):`);
      for (const e of c.lastErrors) printLine(`  ${e.analysedAt}  ${e.status}  ${truncate(e.error, 100)}`);
    }
    printMore(page, list.total, list.companies.length);
    printLine("put one back in the cadence with `leadjobs companies reset ORGNR`");
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
