import { estimateAnalysisCost } from "./cost-estimate.ts";
import { leadsSearchAndAnalyzePayload, type LeadsSearchAndAnalyzePayload } from "./payloads.ts";
import { analysisMetrics, analysisSetup, runAnalysisStep, type AnalysisStepResult } from "./run.ts";
import { searchAndCreateLeads } from "./search-leads.ts";
import { searchMetrics, type LeadsSearchResult } from "./job-search.ts";
import { analysisStepDeps } from "./job-analyze.ts";
import type { JobDefinition } from "../jobs/types.ts";
import { checkLeadReferences } from "./references.ts";

/** The search's result with the analysis of the leads it created. */
export type LeadsSearchAndAnalyzeResult = LeadsSearchResult & { analysis: AnalysisStepResult };

/** Search, then analyse the leads it created: one run with combined metrics (seed spec: nightly lead generation). */
export const leadsSearchAndAnalyzeJob: JobDefinition<LeadsSearchAndAnalyzePayload, LeadsSearchAndAnalyzeResult> = {
  type: "leads.search_and_analyze",
  summary: "leads.search, then leads.analyze of the leads it created, as one run",
  timeoutMs: 3 * 60 * 60_000,
  payload: leadsSearchAndAnalyzePayload,
  async run(ctx) {
    const p = ctx.payload;
    // Every provider and key is checked before the first lead is made (as brand.collect does).
    const setup = await analysisSetup(ctx, p);
    const search = await searchAndCreateLeads(ctx.db, p, {
      jobId: ctx.job.id,
      now: ctx.now(),
      signal: ctx.signal,
      onProgress: (created) => ctx.progress({ done: created, total: p.max_results * 2, message: `searching: created ${created} leads` }),
    });
    const analysis = await runAnalysisStep(
      analysisStepDeps(ctx, { done: search.created, total: search.created }),
      p,
      search.leadIds,
      setup,
    );
    ctx.addMetrics({ ...searchMetrics(search), ...analysisMetrics(analysis) });
    return { result: { found: search.found, created: search.created, skipped: search.skipped, leadIds: search.leadIds, analysis } };
  },
  checkReferences: (p, ctx) => checkLeadReferences(p, ctx),
  estimateRunCost: (p, config) => estimateAnalysisCost(p, p.max_results, config),
};
