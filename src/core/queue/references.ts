import type { Db } from "../db/handle.ts";
import { namingFields, renamedPayload, typesNaming, type NamedThing } from "../jobs/named-references.ts";

/** Jobs that have yet to finish: a rename reaches them, a removal waits for them. */
const WAITING = ["pending", "running"] as const;

async function candidates(db: Db, thing: NamedThing) {
  return db
    .selectFrom("job")
    .select(["id", "type", "payload"])
    .where("state", "in", WAITING)
    .where("type", "in", typesNaming(thing.kind))
    .orderBy("id")
    .execute();
}

/** Ids of the unfinished jobs whose payload names the thing (by id or name). */
export async function waitingJobsNaming(db: Db, thing: NamedThing): Promise<number[]> {
  return (await candidates(db, thing)).filter((j) => namingFields(j.type, j.payload, thing).length > 0).map((j) => j.id);
}

/** Renames the thing in every unfinished job's payload that names it by name; returns their ids. */
export async function renameInWaitingJobs(trx: Db, thing: NamedThing, to: string): Promise<number[]> {
  const changed: number[] = [];
  for (const j of await candidates(trx, thing)) {
    const payload = renamedPayload(j.type, j.payload, thing, to);
    if (payload === null) continue;
    await trx.updateTable("job").set({ payload }).where("id", "=", j.id).execute();
    changed.push(j.id);
  }
  return changed;
}
