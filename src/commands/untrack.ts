import { formatOrgnr } from "../core/domain/orgnr.ts";
import { untrackCompany } from "../core/tracking/tracking.ts";
import { actingUser } from "./shared/actor.ts";
import { openContext, type GlobalOptions } from "./shared/context.ts";
import { orgnrArgument } from "./shared/options.ts";
import { printJson, printLine } from "./shared/output.ts";
import { ExitCode } from "../core/errors.ts";

/** `leadjobs untrack ORGNR`: this user stops tracking the company (others' trackings stay). */
export async function untrackCommand(g: GlobalOptions, orgnrText: string, o: { as?: string; json?: boolean }): Promise<number> {
  const orgnr = orgnrArgument(orgnrText);
  const ctx = await openContext(g);
  try {
    const username = (await actingUser(ctx.db, o.as)).name;
    const { remaining } = await untrackCompany(ctx.db, orgnr, username);
    if (o.json) printJson({ orgnr, user: username, remainingTrackers: remaining });
    else printLine(`${username} no longer tracks ${formatOrgnr(orgnr)}${remaining > 0 ? ` (${remaining} other user(s) still do)` : ""}`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
