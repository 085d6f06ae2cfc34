import { assertAllowed } from "../../core/users/permissions.ts";
import { actingUser } from "../shared/actor.ts";
import { bolagsverketCredentials } from "../../core/companies/enrich.ts";
import { orgnrArgument } from "../../core/companies/show.ts";
import { ExitCode, UnavailableError, UsageError } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { resultOf, runEnd, runInForeground, waitsInQueue } from "../shared/run-now.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";

/** `companies enrich ORGNR...`: the company.enrich job type, run now. */
export async function companiesEnrich(g: GlobalOptions, orgnrTexts: string[], o: { json?: boolean }): Promise<number> {
  if (orgnrTexts.length === 0) throw new UsageError("give at least one organisationsnummer");
  if (orgnrTexts.length > 1000)
    throw new UsageError("at most 1000 organisationsnummer per run (use `jobs add company.enrich --from` for more)");
  const orgnrs = orgnrTexts.map(orgnrArgument);
  bolagsverketCredentials(process.env); // exit 69 before anything is written
  const ctx = await openContext(g);
  try {
    assertAllowed(await actingUser(ctx.db, undefined), { kind: "jobs.write" }); // it runs a job, as `jobs add company.enrich` would
    const run = await runInForeground(ctx, "company.enrich", { orgnrs });
    if (run.end.kind !== "completed") {
      const later = waitsInQueue(run.end) ? `; job ${run.jobId} is retried by the next \`leadjobs process\`` : "";
      throw new UnavailableError(`Bolagsverket: ${runEnd(run.end).error ?? "did not complete"}${later}`);
    }
    const { results } = resultOf(run);
    if (o.json) printJson({ jobId: run.jobId, results });
    else {
      await printTable(
        ["orgnr", "outcome", "name", "note"],
        results.map((r) => [
          r.orgnr,
          r.outcome.replace("_", " "),
          r.name,
          r.error ?? (r.unavailable.length > 0 ? `not available now: ${r.unavailable.join(", ")}` : null),
        ]),
      );
      const bad = results.filter((r) => r.outcome === "not_found" || r.outcome === "failed").length;
      if (bad > 0) printLine(`${bad} of ${results.length} could not be enriched`);
    }
    return results.some((r) => r.outcome === "not_found" || r.outcome === "failed") ? ExitCode.Failure : ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
