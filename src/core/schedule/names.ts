import type { Db } from "../db/handle.ts";

export interface ScheduleName {
  name: string;
  /** Removed with `schedule rm`: the name is the one it had then (from the audit trail). */
  removed: boolean;
}

/** The names of schedules by id, removed ones too; an id never given is missing from the map. */
export async function scheduleNames(db: Db, ids: readonly number[]): Promise<Map<number, ScheduleName>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const live = await db.selectFrom("schedule").select(["id", "name"]).where("id", "in", wanted).execute();
  const names = new Map<number, ScheduleName>(live.map((r) => [r.id, { name: r.name, removed: false }]));
  const gone = wanted.filter((id) => !names.has(id));
  if (gone.length > 0) {
    const trail = await db
      .selectFrom("schedule_audit")
      .select(["schedule_id", "schedule_name"])
      .where("schedule_id", "in", gone)
      .orderBy("id", "desc")
      .execute();
    for (const r of trail) if (!names.has(r.schedule_id)) names.set(r.schedule_id, { name: r.schedule_name, removed: true });
  }
  return names;
}
