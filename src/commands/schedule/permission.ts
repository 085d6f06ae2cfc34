import type { ScheduleCheck } from "../../core/schedule/store.ts";
import { assertAllowed, type Actor } from "../../core/users/permissions.ts";

/** Refuses (exit 77) a change `actor` may not make to the schedule: not theirs, or given to someone else. */
export function scheduleGuard(actor: Actor): ScheduleCheck {
  return (row, after) => {
    assertAllowed(actor, { kind: "schedule.change", schedule: row.name, owner: row.owner });
    if (after !== undefined && after.owner !== row.owner) assertAllowed(actor, { kind: "schedule.owner", schedule: row.name });
  };
}
