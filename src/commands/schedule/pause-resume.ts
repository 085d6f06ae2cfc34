import { formatInZone } from "../../core/schedule/format.ts";
import { editSchedule } from "../../core/schedule/store.ts";
import { actingUser } from "../shared/actor.ts";
import { auditName } from "../../core/users/permissions.ts";
import { scheduleGuard } from "./permission.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";
import { scheduleJson } from "../../core/schedule/json.ts";

export interface ChangeOptions {
  as?: string;
  now?: string;
  json?: boolean;
}

/** `schedule pause` and `schedule resume`. Fires while paused are neither run nor counted as missed. */
export async function scheduleSetActive(g: GlobalOptions, ref: string, active: boolean, o: ChangeOptions): Promise<number> {
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const actor = await actingUser(ctx.db, o.as);
    const { row, changes } = await editSchedule(ctx.db, ref, { active }, auditName(actor), ctx.clock(), scheduleGuard(actor));
    const changed = Object.keys(changes).length > 0;
    if (o.json) printJson({ schedule: scheduleJson(row), changed });
    else if (!changed) printLine(`schedule ${row.name} is already ${active ? "active" : "paused"}`);
    else if (active)
      printLine(`resumed schedule ${row.name}; next run ${row.next_fire_at === null ? "never" : formatInZone(row.next_fire_at, row.tz)}`);
    else printLine(`paused schedule ${row.name}`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
