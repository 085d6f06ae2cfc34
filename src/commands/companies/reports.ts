import { assertAllowed } from "../../core/users/permissions.ts";
import { actingUser } from "../shared/actor.ts";
import { financialHistory, type ReportResult } from "../../core/companies/annual-report.ts";
import { bolagsverketCredentials } from "../../core/companies/enrich.ts";
import { getCompany, orgnrArgument } from "../../core/companies/show.ts";
import { formatOrgnr } from "../../core/domain/orgnr.ts";
import { ExitCode, UnavailableError, UsageError } from "../../core/errors.ts";
import type { CommandContext, GlobalOptions } from "../shared/context.ts";
import { openContext } from "../shared/context.ts";
import { bold, printJson, printLine, printTable } from "../shared/output.ts";
import { resultOf, runEnd, runInForeground, waitsInQueue } from "../shared/run-now.ts";

export interface ReportsOptions {
  /** false with --no-fetch: show what is stored, without asking Bolagsverket. */
  fetch?: boolean;
  json?: boolean;
}

/**
 * `companies reports ORGNR...`: reads the companies' latest annual reports from Bolagsverket
 * (the company.reports job type, run now) and shows their figures per financial year.
 */
export async function companiesReports(g: GlobalOptions, orgnrTexts: string[], o: ReportsOptions): Promise<number> {
  if (orgnrTexts.length === 0) throw new UsageError("give at least one organisationsnummer");
  if (orgnrTexts.length > 1000) throw new UsageError("at most 1000 organisationsnummer per run (use `jobs add company.reports` for more)");
  const orgnrs = [...new Set(orgnrTexts.map(orgnrArgument))];
  const fetch = o.fetch !== false;
  if (fetch) bolagsverketCredentials(process.env); // exit 69 before anything is written
  const ctx = await openContext(g, {}, { readOnly: !fetch });
  try {
    for (const orgnr of orgnrs) await getCompany(ctx.db, orgnr); // an unknown company: exit 2, nothing written
    let jobId: number | null = null;
    let results: ReportResult[] | null = null;
    if (fetch) {
      assertAllowed(await actingUser(ctx.db, undefined), { kind: "jobs.write" }); // it runs a job, as `jobs add company.reports` would
      const run = await runInForeground(ctx, "company.reports", { orgnrs });
      if (run.end.kind !== "completed") {
        const later = waitsInQueue(run.end) ? `; job ${run.jobId} is retried by the next \`leadjobs process\`` : "";
        throw new UnavailableError(`Bolagsverket: ${runEnd(run.end).error ?? "did not complete"}${later}`);
      }
      jobId = run.jobId;
      results = resultOf(run).results;
    }
    const companies = await Promise.all(orgnrs.map((orgnr, i) => shown(ctx, orgnr, results?.[i] ?? null)));
    if (o.json) printJson({ jobId, companies });
    else for (const c of companies) await render(c);
    return results?.some((r) => r.outcome === "failed") ? ExitCode.Failure : ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

async function shown(ctx: CommandContext, orgnr: string, check: ReportResult | null) {
  const c = await getCompany(ctx.db, orgnr);
  return {
    orgnr,
    name: c.name,
    check,
    financialYear: c.financialYearStart && c.financialYearEnd ? { start: c.financialYearStart, end: c.financialYearEnd } : null,
    revenueTkr: c.revenueTkr,
    employees: c.employees,
    reportsCheckedAt: c.reportsCheckedAt,
    history: await financialHistory(ctx.db, orgnr),
  };
}

const OUTCOME: Record<ReportResult["outcome"], string> = {
  updated: "read the latest annual report",
  unchanged: "the latest annual report was read before",
  no_report: "no annual report filed: its figures are kept",
  not_found: "not in the database",
  failed: "the annual report could not be used: its figures are kept",
};

async function render(c: Awaited<ReturnType<typeof shown>>): Promise<void> {
  printLine(bold(`${c.name} (${formatOrgnr(c.orgnr)})`));
  if (c.check) {
    const doc = c.check.documentId ? ` (${c.check.documentId}${c.check.framework ? `, ${c.check.framework}` : ""})` : "";
    printLine(`  ${OUTCOME[c.check.outcome]}${doc}${c.check.outcome === "failed" && c.check.message ? `: ${c.check.message}` : ""}`);
    for (const n of c.check.notes) printLine(`  note: ${n}`);
  }
  const year = c.financialYear ? `financial year ${c.financialYear.start} – ${c.financialYear.end}` : "financial year unknown";
  printLine(`  ${year}; revenue ${c.revenueTkr === null ? "unknown" : `${c.revenueTkr} TKR`}; employees ${c.employees ?? "unknown"}`);
  if (c.history.length === 0) {
    printLine("  no figures from annual reports yet");
    return;
  }
  await printTable(
    ["financial year", "revenue (TKR)", "employees", "from", "document", "filed"],
    c.history.map((h) => [
      `${h.start} – ${h.end}`,
      h.revenueTkr,
      h.employees,
      h.source === "report" ? `its report${h.framework ? ` (${h.framework})` : ""}` : "comparative",
      h.documentId,
      h.filedOn,
    ]),
  );
}
