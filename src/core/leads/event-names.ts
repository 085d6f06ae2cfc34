import type { Db } from "../db/handle.ts";
import { scheduleOfJobs } from "../queue/inspect.ts";
import { scheduleNames } from "../schedule/names.ts";
import { actorDisplayNames } from "../users/names.ts";
import type { LeadEventRow } from "./schema.ts";

export type LeadEvent = Omit<LeadEventRow, "detail"> & { detail: unknown };

/** A lead event with the names behind its ids (each null where there is none, or it is unknown). */
export type NamedLeadEvent = LeadEvent & {
  /** The display name of a `user:NAME` actor. */
  actorName: string | null;
  /** The schedule that enqueued the event's job. */
  scheduleId: number | null;
  scheduleName: string | null;
  /** The terminal of `detail.terminalId` (an assignment). */
  terminalName: string | null;
};

/** Adds the names of the users, schedules and terminals the events refer to by id. */
export async function nameLeadEvents(db: Db, events: readonly LeadEvent[]): Promise<NamedLeadEvent[]> {
  const terminalIds = [...new Set(events.map(terminalIdOf).filter((id) => id !== null))];
  const terminals = new Map(
    terminalIds.length === 0
      ? []
      : (await db.selectFrom("terminal").select(["id", "name"]).where("id", "in", terminalIds).execute()).map((t) => [t.id, t.name]),
  );
  const actors = await actorDisplayNames(
    db,
    events.map((e) => e.actor),
  );
  const jobSchedules = await scheduleOfJobs(
    db,
    events.flatMap((e) => (e.job_id === null ? [] : [e.job_id])),
  );
  const schedules = await scheduleNames(db, [...jobSchedules.values()]);
  return events.map((e) => {
    const scheduleId = e.job_id === null ? null : (jobSchedules.get(e.job_id) ?? null);
    const terminalId = terminalIdOf(e);
    return {
      ...e,
      actorName: actors.get(e.actor) ?? null,
      scheduleId,
      scheduleName: scheduleId === null ? null : (schedules.get(scheduleId)?.name ?? null),
      terminalName: terminalId === null ? null : (terminals.get(terminalId) ?? null),
    };
  });
}

function terminalIdOf(e: LeadEvent): number | null {
  const d = e.detail;
  return typeof d === "object" && d !== null && "terminalId" in d && typeof d.terminalId === "number" ? d.terminalId : null;
}
