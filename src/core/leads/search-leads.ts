import { iterateCompanies, type CompanyHit, type CompanyQuery } from "../companies/search.ts";
import { normaliseLegalForm } from "../companies/legal-forms.ts";
import { immediate, type Db } from "../db/handle.ts";
import { PermanentJobError } from "../errors.ts";
import { createLeads, type LeadCandidate } from "./leads.ts";
import type { LeadsSearchPayload } from "./payloads.ts";
import { findTerminal, loadAssignment } from "./terminals.ts";

export interface SearchStepResult {
  /** Matching companies looked at. */
  found: number;
  /** Leads this run created (earlier attempts of the same job included): leadIds.length. */
  created: number;
  skipped: { existing: number; reklamsparr: number; inactive: number };
  /** Ids of the leads this run created. */
  leadIds: number[];
}

/** Matches looked at per run at most: a broad query with few new companies stops here. */
export const MAX_SCAN = 20_000;

/** The company query of a leads.search payload. */
export function searchQueryOf(p: Pick<LeadsSearchPayload, "search_query" | "search_filters">): CompanyQuery {
  const f = p.search_filters;
  const industry = f.industry === undefined ? [] : Array.isArray(f.industry) ? f.industry : [f.industry];
  const codes = industry.map((i) => i.replace(/[.\s]/g, "")).filter((i) => /^\d{1,5}$/.test(i));
  const words = industry.filter((i) => !/^[\d.\s]+$/.test(i));
  const legalForm = f.legal_form === undefined ? undefined : (normaliseLegalForm(f.legal_form) ?? f.legal_form.toUpperCase());
  return {
    query: [p.search_query, ...words].join(" ").trim(),
    sni: codes.length > 0 ? codes : undefined,
    location: f.location,
    town: f.town,
    municipality: f.municipality,
    legalForm,
    minRevenueTkr: f.min_revenue,
    // Reklamspärr and inactive companies are looked at too, to be counted as skipped.
    includeReklamsparr: true,
    active: false,
  };
}

/**
 * Finds companies matching the search that are not leads yet and makes leads of them (up to
 * max_results), assigned by the rules or to the given terminal. Idempotent per job: the leads
 * an earlier attempt of this job created count as created again, never twice.
 */
export async function searchAndCreateLeads(
  db: Db,
  p: LeadsSearchPayload,
  o: { jobId: number; now: number; signal: AbortSignal; onProgress?: (created: number) => void },
): Promise<SearchStepResult> {
  const source = `job:${o.jobId}`;
  const ours = new Map(
    (await db.selectFrom("lead").select(["id", "orgnr"]).where("source", "=", source).execute()).map((r) => [r.orgnr, r.id]),
  );
  const terminal =
    p.assign_to_terminal === undefined
      ? null
      : await findTerminal(db, p.assign_to_terminal).catch((e: unknown) => {
          throw new PermanentJobError(`assign_to_terminal: ${(e as Error).message}`);
        });
  const assignment = p.auto_assign && !terminal ? await loadAssignment(db) : undefined;
  // A retry scans again from the start, so its figures describe the whole job: the leads an
  // earlier attempt made count as taken where the scan meets them.
  const result: Omit<SearchStepResult, "created"> = { found: 0, skipped: { existing: 0, reklamsparr: 0, inactive: 0 }, leadIds: [] };
  let oursSeen = 0;
  let pending: LeadCandidate[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const created = await immediate(db, (trx) =>
      createLeads(trx, batch, {
        source,
        actor: source,
        jobId: o.jobId,
        now: o.now,
        assign: terminal ? { terminalId: terminal.id } : p.auto_assign ? "rules" : "none",
        ...(assignment ? { assignment } : {}),
      }),
    );
    result.leadIds.push(...created.map((c) => c.id));
    result.skipped.existing += batch.length - created.length; // made a lead meanwhile by someone else
    o.onProgress?.(ours.size + result.leadIds.length);
  };
  const wanted = p.max_results;
  for await (const hit of iterateCompanies(db, searchQueryOf(p), 500)) {
    if (o.signal.aborted) throw o.signal.reason;
    const taken = result.leadIds.length + pending.length;
    if (oursSeen + taken >= wanted || result.found >= MAX_SCAN) break;
    const skip = skipReason(hit, ours);
    // Checked before a company is taken: never more than max_results leads for the job, even
    // when a match has appeared since an earlier attempt.
    if (skip === null && ours.size + taken >= wanted) break;
    result.found++;
    if (skip === "ours")
      oursSeen++; // created by an earlier attempt of this job
    else if (skip) result.skipped[skip]++;
    else {
      pending.push({
        orgnr: hit.orgnr,
        town: hit.town,
        municipality: hit.municipality,
        postcode: hit.postcode,
        sniCodes: hit.sniCodes,
        website: hit.website,
      });
      if (pending.length >= 100) await flush();
    }
  }
  await flush();
  const leadIds = [...ours.values(), ...result.leadIds];
  return { ...result, leadIds, created: leadIds.length };
}

function skipReason(h: CompanyHit, ours: Map<string, number>): "ours" | "existing" | "reklamsparr" | "inactive" | null {
  if (h.leadId !== null) return ours.has(h.orgnr) ? "ours" : "existing";
  if (h.reklamsparr) return "reklamsparr";
  if (h.status !== "active" || h.missingSince !== null) return "inactive";
  return null;
}
