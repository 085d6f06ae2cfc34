import type { Db } from "../db/handle.ts";
import { namingFields, renamedPayload, typesNaming, type NamedThing } from "../jobs/named-references.ts";
import { UsageError } from "../errors.ts";
import { waitingJobsNaming } from "../queue/references.ts";
import { toInstant } from "../time.ts";
import { audit } from "./store.ts";

async function candidates(db: Db, thing: NamedThing) {
  const types = typesNaming(thing.kind);
  return db
    .selectFrom("schedule")
    .select(["id", "name", "type", "payload", "then_type", "then_payload"])
    .where((eb) => eb.or([eb("type", "in", types), eb("then_type", "in", types)]))
    .orderBy("name")
    .execute();
}

/** The schedules whose payload or follow-up payload names the thing (by id or name). */
export async function schedulesNaming(db: Db, thing: NamedThing): Promise<Array<{ id: number; name: string }>> {
  return (await candidates(db, thing))
    .filter((s) => namingFields(s.type, s.payload, thing).length + namingFields(s.then_type ?? "", s.then_payload, thing).length > 0)
    .map((s) => ({ id: s.id, name: s.name }));
}

/**
 * Renames the thing in every schedule that names it by name (ids stay valid), each change in
 * the schedule's audit trail. Run inside the rename's transaction. Returns the schedules changed.
 */
export async function renameInSchedules(
  trx: Db,
  thing: NamedThing,
  to: string,
  a: { actor: string; now: number },
): Promise<Array<{ id: number; name: string }>> {
  const changed: Array<{ id: number; name: string }> = [];
  for (const s of await candidates(trx, thing)) {
    const payload = renamedPayload(s.type, s.payload, thing, to);
    const thenPayload = s.then_type === null ? null : renamedPayload(s.then_type, s.then_payload, thing, to);
    if (payload === null && thenPayload === null) continue;
    const set = { ...(payload === null ? {} : { payload }), ...(thenPayload === null ? {} : { then_payload: thenPayload }) };
    await trx
      .updateTable("schedule")
      .set({ ...set, updated_at: toInstant(a.now) })
      .where("id", "=", s.id)
      .execute();
    const changes = Object.fromEntries(
      Object.entries(set).map(([k, v]) => [k, [JSON.parse((k === "payload" ? s.payload : s.then_payload) ?? "null"), JSON.parse(v)]]),
    );
    await audit(trx, s, "edit", a.actor, a.now, changes);
    changed.push({ id: s.id, name: s.name });
  }
  return changed;
}

/** What a schedule or an unfinished job names cannot be removed: that job would fail later. */
export async function refuseIfNamed(trx: Db, thing: NamedThing, what: string): Promise<void> {
  const schedules = await schedulesNaming(trx, thing);
  if (schedules.length > 0)
    throw new UsageError(
      `${what} is named by ${schedules.length === 1 ? "schedule" : "schedules"} ${schedules.map((s) => `"${s.name}"`).join(", ")}`,
      {
        hint: "edit or remove them first (leadjobs schedule edit NAME --payload …)",
      },
    );
  const jobs = await waitingJobsNaming(trx, thing);
  if (jobs.length > 0)
    throw new UsageError(`${what} is named by unfinished ${jobs.length === 1 ? "job" : "jobs"} ${jobs.join(", ")}`, {
      hint: "let them finish or cancel them first (leadjobs jobs cancel ID)",
    });
}
