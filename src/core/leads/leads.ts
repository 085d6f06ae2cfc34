import { parseCodes } from "../companies/search.ts";
import type { LeadAnalysisRow } from "./schema.ts";
import { LEAD_STATUSES, type LeadRow, type LeadStatus } from "./schema.ts";
import { immediate, type Db } from "../db/handle.ts";
import { checkOrgnr } from "../domain/orgnr.ts";
import { UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import { pageRows, type Page, type Paged } from "../util/paging.ts";
import { matchTerminal, type Assignment, type AssignmentRule } from "./assign.ts";
import { recordEvents, type LeadEventInput } from "./events.ts";
import { nameLeadEvents, type NamedLeadEvent } from "./event-names.ts";
import { findTerminal, loadAssignment } from "./terminals.ts";
import { parseStoredJson } from "../util/stored-json.ts";

export function leadStatus(input: string): LeadStatus {
  const s = input.trim().toLowerCase();
  if (!(LEAD_STATUSES as readonly string[]).includes(s))
    throw new UsageError(`invalid lead status "${input}": expected ${LEAD_STATUSES.join(", ")}`);
  return s as LeadStatus;
}

/** A lead by id, or by its company's organisationsnummer. */
export async function resolveLead(db: Db, ref: string): Promise<LeadRow> {
  const t = ref.trim();
  const orgnr = /^\d{6}-?\d{4}$|^\d{12}$/.test(t) ? checkOrgnr(t) : null;
  if (orgnr && !orgnr.ok) throw new UsageError(`invalid organisationsnummer ${orgnr.reason}`);
  if (!orgnr && !/^\d+$/.test(t)) throw new UsageError(`"${ref}" is neither a lead id nor an organisationsnummer`);
  const q = db.selectFrom("lead").selectAll();
  // An id past 2^53 names no lead (and PostgreSQL would refuse it as a bigint).
  const row = orgnr?.ok
    ? await q.where("orgnr", "=", orgnr.orgnr).executeTakeFirst()
    : Number.isSafeInteger(Number(t))
      ? await q.where("id", "=", Number(t)).executeTakeFirst()
      : undefined;
  if (!row) throw new UsageError(orgnr?.ok ? `${orgnr.orgnr} is not a lead` : `no lead with id ${t}`, { code: "NOT_FOUND" });
  return row;
}

/** A company to turn into a lead, with what assignment rules look at. */
export interface LeadCandidate {
  orgnr: string;
  town: string | null;
  municipality: string | null;
  postcode: string | null;
  sniCodes: readonly string[];
  website: string | null;
}

export interface CreateLeadsOptions {
  /** Stored as lead.source: job:123, user:anna, csv:leads.csv. */
  source: string;
  actor: string;
  jobId?: number | null;
  now: number;
  /** rules: assignment rules (and the default terminal); a terminal id: all to it; none. */
  assign: "rules" | "none" | { terminalId: number };
  assignment?: { rules: AssignmentRule[]; defaultTerminalId: number | null };
}

/**
 * Creates leads for companies that are not leads yet (at most one lead per company: a company
 * that already is one is left alone), assigns them and records the events. Call inside a
 * transaction (`immediate`). Returns the new leads.
 */
export async function createLeads(
  trx: Db,
  candidates: readonly LeadCandidate[],
  o: CreateLeadsOptions,
): Promise<Array<{ id: number; orgnr: string; terminalId: number | null }>> {
  if (candidates.length === 0) return [];
  const assignment = o.assign === "rules" ? (o.assignment ?? (await loadAssignment(trx))) : null;
  const stamp = toInstant(o.now);
  const created: Array<{ id: number; orgnr: string; terminalId: number | null }> = [];
  const events: LeadEventInput[] = [];
  for (const c of candidates) {
    const a: Assignment | null =
      o.assign === "none"
        ? null
        : o.assign === "rules"
          ? matchTerminal(assignment?.rules ?? [], assignment?.defaultTerminalId ?? null, c)
          : { terminalId: o.assign.terminalId, ruleId: null, reason: "given terminal" };
    const row = await trx
      .insertInto("lead")
      .values({
        orgnr: c.orgnr,
        status: "new",
        terminal_id: a?.terminalId ?? null,
        source: o.source,
        website: c.website,
        score: null,
        segment: null,
        analysed_at: null,
        web_analysed_at: null,
        created_at: stamp,
        updated_at: stamp,
        assigned_at: a ? stamp : null,
      })
      .onConflict((oc) => oc.column("orgnr").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) continue;
    created.push({ id: row.id, orgnr: c.orgnr, terminalId: a?.terminalId ?? null });
    events.push({ leadId: row.id, kind: "created", actor: o.actor, jobId: o.jobId ?? null, at: o.now, detail: { source: o.source } });
    if (a)
      events.push({
        leadId: row.id,
        kind: "assigned",
        actor: o.actor,
        jobId: o.jobId ?? null,
        at: o.now,
        detail: { terminalId: a.terminalId, reason: a.reason },
      });
  }
  await recordEvents(trx, events);
  return created;
}

export interface AddLeadInput {
  orgnr: string;
  website?: string | undefined;
  terminal?: string | undefined;
  actor: string;
  now: number;
}

export interface AddLeadResult {
  id: number;
  orgnr: string;
  name: string;
  terminal: string | null;
  assignedBy: string | null;
  warnings: string[];
}

export async function addLead(db: Db, i: AddLeadInput): Promise<AddLeadResult> {
  const terminal = i.terminal === undefined ? undefined : await findTerminal(db, i.terminal);
  return immediate(db, async (trx) => {
    const c = await trx.selectFrom("company").selectAll().where("orgnr", "=", i.orgnr).executeTakeFirst();
    if (!c)
      throw new UsageError(`no company ${i.orgnr} in the register`, {
        code: "NOT_FOUND",
        hint: "import the register (companies import) or fetch it (companies enrich)",
      });
    const existing = await trx.selectFrom("lead").select("id").where("orgnr", "=", i.orgnr).executeTakeFirst();
    if (existing)
      throw new UsageError(`${c.name} (${i.orgnr}) is already lead ${existing.id}`, { hint: `see \`leadjobs leads show ${existing.id}\`` });
    const warnings: string[] = [];
    if (c.reklamsparr === 1) warnings.push("the company has reklamspärr: no unsolicited direct marketing");
    if (c.status !== "active") warnings.push(`the company is ${c.status}`);
    const candidate: LeadCandidate = {
      orgnr: c.orgnr,
      town: c.town,
      municipality: c.municipality,
      postcode: c.postcode,
      sniCodes: parseCodes(c.sni_codes),
      website: i.website ?? c.website,
    };
    const [lead] = await createLeads(trx, [candidate], {
      source: `user:${i.actor}`,
      actor: `user:${i.actor}`,
      now: i.now,
      assign: terminal ? { terminalId: terminal.id } : "rules",
    });
    if (!lead) throw new UsageError(`${i.orgnr} is already a lead`);
    const tname =
      lead.terminalId === null
        ? null
        : ((await trx.selectFrom("terminal").select("name").where("id", "=", lead.terminalId).executeTakeFirst())?.name ?? null);
    const how = await trx
      .selectFrom("lead_event")
      .select("detail")
      .where("lead_id", "=", lead.id)
      .where("kind", "=", "assigned")
      .executeTakeFirst();
    return {
      id: lead.id,
      orgnr: c.orgnr,
      name: c.name,
      terminal: tname,
      assignedBy: how?.detail ? (JSON.parse(how.detail) as { reason: string }).reason : null,
      warnings,
    };
  });
}

export interface LeadChanges {
  status?: LeadStatus | undefined;
  /** null clears it. */
  website?: string | null | undefined;
  /** A terminal name or id; null unassigns. */
  terminal?: string | null | undefined;
  notes?: string | null | undefined;
  contactName?: string | null | undefined;
  contactEmail?: string | null | undefined;
  contactPhone?: string | null | undefined;
}

/** The plain fields `leads edit` sets (null clears one), each recorded as an "edited" event. */
const EDITABLE = [
  ["website", "website"],
  ["notes", "notes"],
  ["contactName", "contact_name"],
  ["contactEmail", "contact_email"],
  ["contactPhone", "contact_phone"],
] as const;

export async function editLead(
  db: Db,
  ref: string,
  changes: LeadChanges,
  actor: string,
  now: number,
): Promise<{ id: number; changed: string[] }> {
  const lead = await resolveLead(db, ref);
  const terminal =
    changes.terminal === undefined || changes.terminal === null ? changes.terminal : await findTerminal(db, changes.terminal);
  return immediate(db, async (trx) => {
    const set: Record<string, unknown> = {};
    const changed: string[] = [];
    const events: LeadEventInput[] = [];
    const stamp = toInstant(now);
    if (changes.status !== undefined && changes.status !== lead.status) {
      set.status = changes.status;
      changed.push("status");
      events.push({ leadId: lead.id, kind: "status", actor: `user:${actor}`, at: now, detail: { from: lead.status, to: changes.status } });
    }
    for (const [key, column] of EDITABLE) {
      const value = changes[key];
      if (value === undefined || value === (lead[column] ?? null)) continue;
      set[column] = value;
      changed.push(key);
      events.push({ leadId: lead.id, kind: "edited", actor: `user:${actor}`, at: now, detail: { [key]: value } });
    }
    if (terminal !== undefined && (terminal?.id ?? null) !== lead.terminal_id) {
      set.terminal_id = terminal?.id ?? null;
      set.assigned_at = terminal ? stamp : null;
      changed.push("terminal");
      events.push({
        leadId: lead.id,
        kind: "assigned",
        actor: `user:${actor}`,
        at: now,
        detail: { terminalId: terminal?.id ?? null, reason: terminal ? "by hand" : "unassigned by hand" },
      });
    }
    if (changed.length > 0) {
      await trx
        .updateTable("lead")
        .set({ ...set, updated_at: stamp })
        .where("id", "=", lead.id)
        .execute();
      await recordEvents(trx, events);
    }
    return { id: lead.id, changed };
  });
}

export interface LeadFilter {
  terminal?: string | undefined;
  unassigned?: boolean | undefined;
  statuses?: LeadStatus[] | undefined;
  /** Analysed at or after this instant. */
  analysedSince?: number | undefined;
  /** Never analysed, or last analysed before this instant. */
  notAnalysedSince?: number | undefined;
  minScore?: number | undefined;
}

export interface LeadListItem {
  id: number;
  orgnr: string;
  name: string;
  town: string | null;
  status: LeadStatus;
  terminal: string | null;
  score: number | null;
  segment: string | null;
  volumeClass: string | null;
  website: string | null;
  source: string;
  analysedAt: string | null;
  createdAt: string;
}

/** Leads, newest first: one page, and how many match in all. */
export async function listLeads(db: Db, f: LeadFilter, page: Page): Promise<Paged<LeadListItem>> {
  let q = db
    .selectFrom("lead")
    .innerJoin("company", "company.orgnr", "lead.orgnr")
    .leftJoin("terminal", "terminal.id", "lead.terminal_id")
    .select([
      "lead.id",
      "lead.orgnr",
      "company.name",
      "company.town",
      "lead.status",
      "terminal.name as terminal",
      "lead.score",
      "lead.segment",
      "lead.volume_class",
      "lead.website",
      "lead.source",
      "lead.analysed_at",
      "lead.created_at",
    ]);
  if (f.terminal !== undefined) q = q.where("lead.terminal_id", "=", (await findTerminal(db, f.terminal)).id);
  if (f.unassigned) q = q.where("lead.terminal_id", "is", null);
  if (f.statuses && f.statuses.length > 0) q = q.where("lead.status", "in", f.statuses);
  if (f.analysedSince !== undefined) q = q.where("lead.analysed_at", ">=", toInstant(f.analysedSince));
  if (f.notAnalysedSince !== undefined) {
    const since = toInstant(f.notAnalysedSince);
    q = q.where((eb) => eb.or([eb("lead.analysed_at", "is", null), eb("lead.analysed_at", "<", since)]));
  }
  if (f.minScore !== undefined) q = q.where("lead.score", ">=", f.minScore);
  const { items: rows, total } = await pageRows(db, q.orderBy("lead.id", "desc"), page);
  const items = rows.map((r) => ({
    id: r.id,
    orgnr: r.orgnr,
    name: r.name,
    town: r.town,
    status: r.status,
    terminal: r.terminal,
    score: r.score,
    segment: r.segment,
    volumeClass: r.volume_class ?? null,
    website: r.website,
    source: r.source,
    analysedAt: r.analysed_at,
    createdAt: r.created_at,
  }));
  return { items, total };
}

export interface LeadDetail {
  lead: LeadListItem & {
    nextStep: string | null;
    notes: string | null;
    contact: { name: string | null; email: string | null; phone: string | null };
    assignedAt: string | null;
    webAnalysedAt: string | null;
    webSummary: unknown;
    updatedAt: string;
  };
  company: {
    legalForm: string | null;
    status: string;
    municipality: string | null;
    postcode: string | null;
    sniCodes: string[];
    reklamsparr: boolean;
    description: string | null;
  };
  analyses: Array<Omit<LeadAnalysisRow, "reasons" | "output"> & { reasons: string[]; output: unknown }>;
  events: NamedLeadEvent[];
}

export async function showLead(db: Db, ref: string): Promise<LeadDetail> {
  const lead = await resolveLead(db, ref);
  const c = await db.selectFrom("company").selectAll().where("orgnr", "=", lead.orgnr).executeTakeFirstOrThrow();
  const terminal =
    lead.terminal_id === null ? null : await db.selectFrom("terminal").select("name").where("id", "=", lead.terminal_id).executeTakeFirst();
  const analyses = await db
    .selectFrom("lead_analysis")
    .selectAll()
    .where("lead_id", "=", lead.id)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const events = await db.selectFrom("lead_event").selectAll().where("lead_id", "=", lead.id).orderBy("at").orderBy("id").execute();
  const json = (t: string | null | undefined): unknown => (t ? parseStoredJson(t) : null);
  return {
    lead: {
      id: lead.id,
      orgnr: lead.orgnr,
      name: c.name,
      town: c.town,
      status: lead.status,
      terminal: terminal?.name ?? null,
      score: lead.score,
      segment: lead.segment,
      volumeClass: lead.volume_class ?? null,
      website: lead.website,
      source: lead.source,
      analysedAt: lead.analysed_at,
      createdAt: lead.created_at,
      nextStep: lead.next_step ?? null,
      notes: lead.notes ?? null,
      contact: { name: lead.contact_name ?? null, email: lead.contact_email ?? null, phone: lead.contact_phone ?? null },
      assignedAt: lead.assigned_at ?? null,
      webAnalysedAt: lead.web_analysed_at,
      webSummary: json(lead.web_summary),
      updatedAt: lead.updated_at,
    },
    company: {
      legalForm: c.legal_form,
      status: c.status,
      municipality: c.municipality,
      postcode: c.postcode,
      sniCodes: parseCodes(c.sni_codes),
      reklamsparr: c.reklamsparr === 1,
      description: c.description,
    },
    analyses: analyses.map((a) => ({ ...a, reasons: (json(a.reasons) as string[] | null) ?? [], output: json(a.output) })),
    events: await nameLeadEvents(
      db,
      events.map((e) => ({ ...e, detail: json(e.detail) })),
    ),
  };
}

export interface AssignInput {
  /** Lead ids or organisationsnummer; empty: every unassigned lead. */
  refs: string[];
  /** Assign to this terminal; otherwise by the rules. */
  terminal?: string | undefined;
  actor: string;
  now: number;
}

export interface AssignResult {
  id: number;
  orgnr: string;
  terminal: string | null;
  reason: string;
  changed: boolean;
}

/** Assigns leads to a terminal, or by the rules (first match wins, then the default terminal). */
export async function assignLeads(db: Db, i: AssignInput): Promise<AssignResult[]> {
  const named = await Promise.all(i.refs.map((r) => resolveLead(db, r)));
  // A lead named twice (by id and by organisationsnummer) is assigned once.
  const leads =
    i.refs.length > 0
      ? named.filter((l, k) => named.findIndex((o) => o.id === l.id) === k)
      : await db.selectFrom("lead").selectAll().where("terminal_id", "is", null).orderBy("id").execute();
  const fixed = i.terminal === undefined ? null : await findTerminal(db, i.terminal);
  const assignment = await loadAssignment(db);
  const names = new Map((await db.selectFrom("terminal").select(["id", "name"]).execute()).map((t) => [t.id, t.name]));
  return immediate(db, async (trx) => {
    const out: AssignResult[] = [];
    const events: LeadEventInput[] = [];
    const stamp = toInstant(i.now);
    for (const lead of leads) {
      let a: Assignment | null;
      if (fixed) a = { terminalId: fixed.id, ruleId: null, reason: "by hand" };
      else {
        const c = await trx
          .selectFrom("company")
          .select(["town", "municipality", "postcode", "sni_codes"])
          .where("orgnr", "=", lead.orgnr)
          .executeTakeFirstOrThrow();
        a = matchTerminal(assignment.rules, assignment.defaultTerminalId, { ...c, sniCodes: parseCodes(c.sni_codes) });
      }
      // No rule and no default terminal: the lead stays where it is.
      const terminalId = a ? a.terminalId : lead.terminal_id;
      const changed = terminalId !== lead.terminal_id;
      if (changed && a) {
        await trx
          .updateTable("lead")
          .set({ terminal_id: terminalId, assigned_at: stamp, updated_at: stamp })
          .where("id", "=", lead.id)
          .execute();
        events.push({ leadId: lead.id, kind: "assigned", actor: `user:${i.actor}`, at: i.now, detail: { terminalId, reason: a.reason } });
      }
      out.push({
        id: lead.id,
        orgnr: lead.orgnr,
        terminal: terminalId === null ? null : (names.get(terminalId) ?? null),
        reason: a?.reason ?? "no rule matched and there is no default terminal",
        changed,
      });
    }
    await recordEvents(trx, events);
    return out;
  });
}
