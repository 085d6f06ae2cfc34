import { sql } from "kysely";
import { RULE_KINDS, type RuleKind, type TerminalRuleRow } from "./schema.ts";
import { appendAudit } from "../audit/append.ts";
import { immediate, type Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import { pickNamed } from "../util/pick-named.ts";
import { describeRule, parsePostcodeRange, type AssignmentRule } from "./assign.ts";

export interface TerminalSummary {
  id: number;
  name: string;
  description: string | null;
  isDefault: boolean;
  leads: number;
  rules: RuleSummary[];
}

export interface RuleSummary {
  id: number;
  position: number;
  terminalId: number;
  terminal: string;
  kind: RuleKind;
  value: string;
  description: string;
}

/**
 * A terminal's name, trimmed; exit 2 when empty or only digits: a reference of digits is read as
 * an id (`terminals rm 1`), so a terminal named "1" could not be told from terminal 1.
 */
export function terminalName(text: string): string {
  const name = text.trim();
  if (name === "") throw new UsageError("a terminal needs a name");
  if (/^\d+$/.test(name)) throw new UsageError(`invalid terminal name "${name}": only digits (they name a terminal by its id)`);
  return name;
}

/** Exit 2 when another terminal has `name`, whatever its case ("norr" beside "Norr" could not be told apart). */
export async function refuseNameTaken(trx: Db, name: string, self?: number): Promise<void> {
  const clash = (await trx.selectFrom("terminal").select(["id", "name"]).execute()).find(
    (o) => o.id !== self && o.name.toLowerCase() === name.toLowerCase(),
  );
  if (clash) throw new UsageError(`terminal "${clash.name}" exists already (id ${clash.id})`);
}

/** Who made a change to a terminal or a rule, and when. */
export interface TerminalActor {
  actor: string;
  now: number;
}

/** Records a change of a terminal or an assignment rule in the audit log (in the change's transaction). */
export function auditTerminalChange(
  trx: Db,
  change: {
    table: "terminal" | "terminal_rule";
    rowId: number;
    action: "insert" | "update" | "delete";
    old: object | null;
    next: object | null;
  },
  a: TerminalActor,
): Promise<void> {
  return appendAudit(
    trx,
    [
      {
        tenantId: null,
        table: change.table,
        rowId: change.rowId,
        action: change.action,
        old: change.old ? { ...change.old } : null,
        new: change.next ? { ...change.next } : null,
        worker: `user:${a.actor}`,
      },
    ],
    a.now,
  );
}

export async function addTerminal(
  db: Db,
  t: { name: string; description?: string | undefined; isDefault: boolean; actor: string; now: number },
): Promise<number> {
  const name = terminalName(t.name);
  return immediate(db, async (trx) => {
    await refuseNameTaken(trx, name);
    if (t.isDefault) await trx.updateTable("terminal").set({ is_default: 0 }).where("is_default", "=", 1).execute();
    const values = {
      name,
      description: t.description ?? null,
      is_default: t.isDefault ? (1 as const) : (0 as const),
      created_at: toInstant(t.now),
    };
    const row = await trx.insertInto("terminal").values(values).returning("id").executeTakeFirstOrThrow();
    await auditTerminalChange(trx, { table: "terminal", rowId: row.id, action: "insert", old: null, next: values }, t);
    return row.id;
  });
}

/** A terminal by id, name (case-insensitive), or the start of exactly one name ("stockholm"). */
export async function findTerminal(db: Db, ref: string): Promise<{ id: number; name: string }> {
  return pickNamed(await db.selectFrom("terminal").select(["id", "name"]).orderBy("name").execute(), ref, "terminal");
}

export async function listTerminals(db: Db): Promise<TerminalSummary[]> {
  const terminals = await db
    .selectFrom("terminal")
    .leftJoin("lead", "lead.terminal_id", "terminal.id")
    .select(["terminal.id", "terminal.name", "terminal.description", "terminal.is_default", sql<number>`count(lead.id)`.as("leads")])
    .groupBy("terminal.id")
    .orderBy("terminal.name")
    .execute();
  const rules = await listRules(db);
  return terminals.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    isDefault: t.is_default === 1,
    leads: t.leads,
    rules: rules.filter((r) => r.terminalId === t.id),
  }));
}

export async function listRules(db: Db): Promise<RuleSummary[]> {
  const rows = await db
    .selectFrom("terminal_rule")
    .innerJoin("terminal", "terminal.id", "terminal_rule.terminal_id")
    .select([
      "terminal_rule.id",
      "terminal_rule.position",
      "terminal_rule.terminal_id",
      "terminal.name",
      "terminal_rule.kind",
      "terminal_rule.value",
    ])
    .orderBy("terminal_rule.position")
    .orderBy("terminal_rule.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    terminalId: r.terminal_id,
    terminal: r.name,
    kind: r.kind,
    value: r.value,
    description: describeRule(r),
  }));
}

export interface NewRule {
  terminal: string;
  kind: RuleKind;
  value: string;
  /** Evaluation order; default after the last rule. */
  position?: number | undefined;
  actor: string;
  now: number;
}

/** Checks and normalises a rule's value (exit 2 when it is not valid). */
export function ruleValue(kind: RuleKind, value: string): { value: string; from: number | null; to: number | null } {
  if (!(RULE_KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown rule kind "${kind}"`);
  const v = value.trim();
  if (v === "") throw new UsageError(`the ${kind} rule needs a value`);
  if (kind === "postcode") {
    const r = parsePostcodeRange(v);
    return { value: r.text, from: r.from, to: r.to };
  }
  if (kind === "sni") {
    const code = v.replace(/\./g, "");
    if (!/^\d{1,5}$/.test(code)) throw new UsageError(`invalid SNI prefix "${value}": 1 to 5 digits`);
    return { value: code, from: null, to: null };
  }
  return { value: v, from: null, to: null };
}

export async function addRule(db: Db, r: NewRule): Promise<number> {
  const v = ruleValue(r.kind, r.value);
  const terminal = await findTerminal(db, r.terminal);
  return immediate(db, async (trx) => {
    const last = await trx.selectFrom("terminal_rule").select(sql<number | null>`max(position)`.as("p")).executeTakeFirstOrThrow();
    const position = r.position ?? (last.p ?? 0) + 10;
    const values = {
      terminal_id: terminal.id,
      position,
      kind: r.kind,
      value: v.value,
      postcode_from: v.from,
      postcode_to: v.to,
      created_at: toInstant(r.now),
    };
    const row = await trx.insertInto("terminal_rule").values(values).returning("id").executeTakeFirstOrThrow();
    await auditTerminalChange(trx, { table: "terminal_rule", rowId: row.id, action: "insert", old: null, next: values }, r);
    return row.id;
  });
}

export async function removeRule(db: Db, id: number, a: TerminalActor): Promise<void> {
  await immediate(db, async (trx) => {
    const rule = await trx.selectFrom("terminal_rule").selectAll().where("id", "=", id).executeTakeFirst();
    if (!rule) throw new UsageError(`no rule with id ${id}`, { code: "NOT_FOUND" });
    await trx.deleteFrom("terminal_rule").where("id", "=", id).execute();
    await auditTerminalChange(trx, { table: "terminal_rule", rowId: id, action: "delete", old: rule, next: null }, a);
  });
}

/** Rules in evaluation order and the default terminal, for matchTerminal(). */
export async function loadAssignment(db: Db): Promise<{ rules: AssignmentRule[]; defaultTerminalId: number | null }> {
  const rows: TerminalRuleRow[] = await db.selectFrom("terminal_rule").selectAll().orderBy("position").orderBy("id").execute();
  const def = await db.selectFrom("terminal").select("id").where("is_default", "=", 1).orderBy("id").executeTakeFirst();
  return {
    rules: rows.map((r) => ({
      id: r.id,
      terminalId: r.terminal_id,
      kind: r.kind,
      value: r.value,
      postcodeFrom: r.postcode_from,
      postcodeTo: r.postcode_to,
    })),
    defaultTerminalId: def?.id ?? null,
  };
}
