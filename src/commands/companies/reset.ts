import { actingUser } from "../shared/actor.ts";
import { formatOrgnr } from "../../core/domain/orgnr.ts";
import { plural } from "../../core/util/plural.ts";
import { resetProblemCompany } from "../../core/tracking/problems.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { orgnrArgument } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

/** `leadjobs companies reset ORGNR`: validated before the database is opened; an unknown company writes nothing. */
export async function companiesReset(g: GlobalOptions, orgnrText: string, o: { json?: boolean }): Promise<number> {
  const orgnr = orgnrArgument(orgnrText);
  const ctx = await openContext(g);
  try {
    await actingUser(ctx.db, undefined); // any user may; an OS account that acts as no user may not
    const r = await resetProblemCompany(ctx.db, orgnr, ctx.clock());
    if (o.json) printJson(r);
    else if (!r.reset) printLine(`${formatOrgnr(r.orgnr)} ${r.name} is not a problem company: nothing to reset`);
    else
      printLine(
        `${formatOrgnr(r.orgnr)} ${r.name} is back in the refresh cadence${r.wasProblem ? "" : ` (${plural(r.clearedFailures, "failure")} in a row cleared)`}`,
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
