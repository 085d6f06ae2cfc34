import { leadsSearchPayload, type LeadsSearchPayload } from "./payloads.ts";
import { searchAndCreateLeads, type SearchStepResult } from "./search-leads.ts";
import type { JobDefinition } from "../jobs/types.ts";
import { checkLeadReferences } from "./references.ts";

export function searchMetrics(r: SearchStepResult): Record<string, number> {
  return {
    found: r.found,
    created: r.created,
    skipped_existing: r.skipped.existing,
    skipped_reklamsparr: r.skipped.reklamsparr,
    skipped_inactive: r.skipped.inactive,
  };
}

/** What a search did: companies looked at, leads created (their ids) and those skipped, by reason. */
export type LeadsSearchResult = SearchStepResult;

/** Finds companies in the register that are not leads yet and makes leads of them (seed spec: lead search). */
export const leadsSearchJob: JobDefinition<LeadsSearchPayload, LeadsSearchResult> = {
  type: "leads.search",
  summary: "search the company register, create up to max_results new leads, assign them to terminals",
  timeoutMs: 30 * 60_000,
  payload: leadsSearchPayload,
  async run(ctx) {
    const r = await searchAndCreateLeads(ctx.db, ctx.payload, {
      jobId: ctx.job.id,
      now: ctx.now(),
      signal: ctx.signal,
      onProgress: (created) => ctx.progress({ done: created, total: ctx.payload.max_results, message: `created ${created} leads` }),
    });
    ctx.addMetrics(searchMetrics(r));
    return { result: { found: r.found, created: r.created, skipped: r.skipped, leadIds: r.leadIds } };
  },
  checkReferences: (p, ctx) => checkLeadReferences(p, ctx),
  estimateRunCost: () => ({ amountMinor: 0, currency: "USD", basis: "searching the local register costs nothing" }),
};
