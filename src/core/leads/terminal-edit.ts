import { sql } from "kysely";
import { immediate, type Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import type { NamedThing, Naming } from "../jobs/named-references.ts";
import { renameInWaitingJobs } from "../queue/references.ts";
import { refuseIfNamed, renameInSchedules } from "../schedule/references.ts";
import { toInstant } from "../time.ts";
import { pickNamed } from "../util/pick-named.ts";
import { recordEvents } from "./events.ts";
import { auditTerminalChange, findTerminal, refuseNameTaken, terminalName, type TerminalActor } from "./terminals.ts";

export interface TerminalChanges {
  /** null clears it. */
  description?: string | null | undefined;
  /** true: this becomes the default terminal; false: there is no default terminal after this. */
  isDefault?: boolean | undefined;
}

/** A terminal by id or full name: destructive verbs take no prefix ("stock" must not remove "Stockholm Terminal"). */
async function exactTerminal(db: Db, ref: string) {
  const t = await findTerminal(db, ref);
  const given = ref.trim().toLowerCase();
  if (given !== String(t.id) && given !== t.name.toLowerCase())
    throw new UsageError(`"${ref}" is not a whole terminal name: give "${t.name}" or its id ${t.id}`);
  return db.selectFrom("terminal").selectAll().where("id", "=", t.id).executeTakeFirstOrThrow();
}

/** How schedule and job payloads name terminal `t` (they resolve a value as `findTerminal` does). */
async function terminalThing(trx: Db, t: { id: number }): Promise<NamedThing> {
  const rows = await trx.selectFrom("terminal").select(["id", "name"]).orderBy("name").execute();
  const naming = (v: unknown): Naming => {
    if (typeof v !== "string") return null;
    try {
      if (pickNamed(rows, v, "terminal").id !== t.id) return null;
    } catch {
      return null;
    }
    return v.trim() === String(t.id) ? "id" : "name";
  };
  return { kind: "terminal", naming };
}

const audit = (trx: Db, rowId: number, action: "update" | "delete", old: object, next: object | null, a: TerminalActor) =>
  auditTerminalChange(trx, { table: "terminal", rowId, action, old, next }, a);

export async function editTerminal(db: Db, ref: string, c: TerminalChanges, a: TerminalActor): Promise<{ id: number; changed: string[] }> {
  const t = await findTerminal(db, ref);
  return immediate(db, async (trx) => {
    const row = await trx.selectFrom("terminal").selectAll().where("id", "=", t.id).executeTakeFirstOrThrow();
    const old: Record<string, unknown> = {};
    const next: Record<string, unknown> = {};
    if (c.description !== undefined && c.description !== row.description) {
      old.description = row.description;
      next.description = c.description;
    }
    if (c.isDefault !== undefined && c.isDefault !== (row.is_default === 1)) {
      old.is_default = row.is_default;
      next.is_default = c.isDefault ? 1 : 0;
      if (c.isDefault) await trx.updateTable("terminal").set({ is_default: 0 }).where("is_default", "=", 1).execute();
    }
    const changed = Object.keys(next);
    if (changed.length > 0) {
      await trx.updateTable("terminal").set(next).where("id", "=", t.id).execute();
      await audit(trx, t.id, "update", old, next, a);
    }
    return { id: t.id, changed: changed.map((k) => (k === "is_default" ? "default" : k)) };
  });
}

/** Renames a terminal; its leads and rules point at its id, so they stay with it. */
export async function renameTerminal(db: Db, ref: string, to: string, a: TerminalActor): Promise<RenamedTerminal> {
  const name = terminalName(to);
  const t = await exactTerminal(db, ref);
  return immediate(db, async (trx) => {
    await refuseNameTaken(trx, name, t.id);
    if (name === t.name) return { id: t.id, from: t.name, to: name, changed: false, schedules: [], jobs: [] };
    const thing = await terminalThing(trx, t);
    await trx.updateTable("terminal").set({ name }).where("id", "=", t.id).execute();
    await audit(trx, t.id, "update", { name: t.name }, { name }, a);
    const schedules = (await renameInSchedules(trx, thing, name, a)).map((s) => s.name);
    const jobs = await renameInWaitingJobs(trx, thing, name);
    return { id: t.id, from: t.name, to: name, changed: true, schedules, jobs };
  });
}

export interface RenamedTerminal {
  id: number;
  from: string;
  to: string;
  changed: boolean;
  /** Schedules whose payload named the terminal by name, now by its new one. */
  schedules: string[];
  /** Unfinished jobs whose payload did. */
  jobs: number[];
}

export interface RemoveTerminalOptions {
  /** Moves the terminal's leads and rules to this terminal. */
  reassignTo?: string | undefined;
  /** Makes this terminal the default (needed when removing the default terminal). */
  defaultTo?: string | undefined;
}

export interface RemovedTerminal {
  id: number;
  name: string;
  /** The terminal that took its leads and rules, if any. */
  reassignedTo: string | null;
  leadsMoved: number;
  rulesMoved: number;
  rulesRemoved: number;
  /** The new default terminal, when this one was the default. */
  newDefault: string | null;
}

/**
 * Removes a terminal in one transaction. Its leads move to `reassignTo` (each with an
 * "assigned" event), and so do its rules; without `reassignTo` a terminal with leads is refused,
 * and its rules go with it. The default terminal is removed only when `defaultTo` names the next one.
 */
export async function removeTerminal(db: Db, ref: string, o: RemoveTerminalOptions, a: TerminalActor): Promise<RemovedTerminal> {
  const t = await exactTerminal(db, ref);
  const other = o.reassignTo === undefined ? null : await findTerminal(db, o.reassignTo);
  const nextDefault = o.defaultTo === undefined ? null : await findTerminal(db, o.defaultTo);
  if (other?.id === t.id) throw new UsageError(`--reassign-to names "${t.name}" itself: name another terminal`);
  if (nextDefault?.id === t.id) throw new UsageError(`--default-to names "${t.name}" itself: name another terminal`);
  return immediate(db, async (trx) => {
    await refuseIfNamed(trx, await terminalThing(trx, t), `terminal "${t.name}"`);
    const leads = await trx.selectFrom("lead").select("id").where("terminal_id", "=", t.id).orderBy("id").execute();
    if (leads.length > 0 && !other)
      throw new UsageError(`terminal "${t.name}" has ${leads.length} lead(s): move them with --reassign-to OTHER`);
    const current = await trx.selectFrom("terminal").select("is_default").where("id", "=", t.id).executeTakeFirstOrThrow();
    if (current.is_default === 1 && !nextDefault)
      throw new UsageError(`"${t.name}" is the default terminal: name the next one with --default-to OTHER`, {
        hint: `or first \`leadjobs terminals edit "${t.name}" --no-default\``,
      });
    const stamp = toInstant(a.now);
    if (other && leads.length > 0) {
      await trx
        .updateTable("lead")
        .set({ terminal_id: other.id, assigned_at: stamp, updated_at: stamp })
        .where("terminal_id", "=", t.id)
        .execute();
      await recordEvents(
        trx,
        leads.map((l) => ({
          leadId: l.id,
          kind: "assigned",
          actor: `user:${a.actor}`,
          at: a.now,
          detail: { terminalId: other.id, reason: `terminal "${t.name}" removed` },
        })),
      );
    }
    const rules = await trx
      .selectFrom("terminal_rule")
      .select(sql<number>`count(*)`.as("n"))
      .where("terminal_id", "=", t.id)
      .executeTakeFirstOrThrow();
    const nRules = Number(rules.n);
    if (other) await trx.updateTable("terminal_rule").set({ terminal_id: other.id }).where("terminal_id", "=", t.id).execute();
    if (nextDefault) {
      await trx.updateTable("terminal").set({ is_default: 0 }).where("is_default", "=", 1).execute();
      await trx.updateTable("terminal").set({ is_default: 1 }).where("id", "=", nextDefault.id).execute();
    }
    const row = await trx.selectFrom("terminal").selectAll().where("id", "=", t.id).executeTakeFirstOrThrow();
    await trx.deleteFrom("terminal").where("id", "=", t.id).execute();
    await audit(
      trx,
      t.id,
      "delete",
      { ...row, leads: leads.length, rules: nRules, reassigned_to: other?.id ?? null, default_to: nextDefault?.id ?? null },
      null,
      a,
    );
    return {
      id: t.id,
      name: t.name,
      reassignedTo: other?.name ?? null,
      leadsMoved: other ? leads.length : 0,
      rulesMoved: other ? nRules : 0,
      rulesRemoved: other ? 0 : nRules,
      newDefault: nextDefault?.name ?? null,
    };
  });
}

/** Moves a rule to another place in the order, or to another terminal. */
export async function editRule(
  db: Db,
  id: number,
  c: { position?: number | undefined; terminal?: string | undefined },
  a: TerminalActor,
): Promise<{ id: number; changed: string[] }> {
  const terminal = c.terminal === undefined ? undefined : await findTerminal(db, c.terminal);
  return immediate(db, async (trx) => {
    const rule = await trx.selectFrom("terminal_rule").selectAll().where("id", "=", id).executeTakeFirst();
    if (!rule) throw new UsageError(`no rule with id ${id}`, { code: "NOT_FOUND" });
    const set: { position?: number; terminal_id?: number } = {};
    if (c.position !== undefined && c.position !== rule.position) set.position = c.position;
    if (terminal && terminal.id !== rule.terminal_id) set.terminal_id = terminal.id;
    if (Object.keys(set).length > 0) {
      await trx.updateTable("terminal_rule").set(set).where("id", "=", id).execute();
      const old = Object.fromEntries(Object.keys(set).map((k) => [k, rule[k as keyof typeof set]]));
      await auditTerminalChange(trx, { table: "terminal_rule", rowId: id, action: "update", old, next: set }, a);
    }
    return { id, changed: Object.keys(set).map((k) => (k === "terminal_id" ? "terminal" : k)) };
  });
}
