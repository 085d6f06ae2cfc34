import { ExitCode, UsageError } from "../../core/errors.ts";
import { timingOf } from "../../core/schedule/definition.ts";
import { describeCron } from "../../core/schedule/describe.ts";
import { definitionOf, editSchedule, findSchedule } from "../../core/schedule/store.ts";
import { actingUser } from "../shared/actor.ts";
import { auditName } from "../../core/users/permissions.ts";
import { definedUser } from "../../core/users/store.ts";
import { scheduleGuard } from "./permission.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import { scheduleJson } from "../../core/schedule/json.ts";
import { checkScheduleReferences, patchFromFlags, type ScheduleFlags } from "./input.ts";
import { nextRunText } from "./next-run.ts";

const EDITABLE: Array<keyof ScheduleFlags> = [
  "name",
  "type",
  "payload",
  "cron",
  "at",
  "days",
  "tz",
  "misfire",
  "grace",
  "cap",
  "priority",
  "timeout",
  "then",
  "thenPayload",
  "owner",
];

/** The command-line option of a flag: thenPayload → --then-payload. */
function optionName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export async function scheduleEdit(g: GlobalOptions, ref: string, f: ScheduleFlags): Promise<number> {
  if (!EDITABLE.some((k) => f[k] !== undefined)) {
    throw new UsageError(`nothing to change: give at least one of ${EDITABLE.map(optionName).join(", ")}`);
  }
  const ctx = await openContext(g, {}, { now: f.now });
  try {
    const actor = await actingUser(ctx.db, f.as);
    const current = await findSchedule(ctx.db, ref);
    const patch = await patchFromFlags(f, current);
    if (patch.owner !== undefined && actor.role !== null && !(await definedUser(ctx.db, patch.owner)))
      throw new UsageError(`--owner ${patch.owner}: no user named "${patch.owner}"`, {
        code: "NOT_FOUND",
        hint: "see `leadjobs users list`",
      });
    if (patch.type !== undefined || patch.payload !== undefined || patch.then)
      await checkScheduleReferences({ ...definitionOf(current), ...patch }, ctx);
    const { row, changes } = await editSchedule(ctx.db, String(current.id), patch, auditName(actor), ctx.clock(), scheduleGuard(actor));
    if (f.json) printJson({ schedule: scheduleJson(row), changes });
    else if (Object.keys(changes).length === 0) printLine(`schedule ${row.name}: nothing changed`);
    else {
      printLine(
        `changed schedule ${row.name}: ${Object.entries(changes)
          .map(([k, [a, b]]) => `${k} ${JSON.stringify(a)} → ${JSON.stringify(b)}`)
          .join(", ")}`,
      );
      printLine(`  ${describeCron(timingOf(row).cron)} (${row.tz}); next run ${nextRunText(row)}`);
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
