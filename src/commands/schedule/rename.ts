import { ExitCode } from "../../core/errors.ts";
import { validateScheduleName, scheduleSlug } from "../../core/schedule/definition.ts";
import { scheduleJson } from "../../core/schedule/json.ts";
import { editSchedule } from "../../core/schedule/store.ts";
import { auditName } from "../../core/users/permissions.ts";
import { actingUser } from "../shared/actor.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import type { ChangeOptions } from "./pause-resume.ts";
import { scheduleGuard } from "./permission.ts";

/** `schedule rename OLD NEW`: a new name (the rules of `schedule add`); the id, history and audit trail stay. */
export async function scheduleRename(g: GlobalOptions, ref: string, to: string, o: ChangeOptions): Promise<number> {
  const name = validateScheduleName(to);
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const actor = await actingUser(ctx.db, o.as);
    const { row, changes } = await editSchedule(ctx.db, ref, { name }, auditName(actor), ctx.clock(), scheduleGuard(actor));
    const from = (changes.name?.[0] as string | undefined) ?? row.name;
    if (o.json) printJson({ schedule: scheduleJson(row), from, changed: changes.name !== undefined });
    else if (!changes.name) printLine(`schedule ${row.name} already has that name`);
    else {
      const slug = scheduleSlug(row.name) === row.name ? "" : ` (\`${scheduleSlug(row.name)}\` on the command line)`;
      printLine(`renamed schedule ${from} to ${row.name}${slug} (id ${row.id})`);
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
