import { estimateAnalysisCost } from "./cost-estimate.ts";
import { leadsAnalyzePayload, type LeadsAnalyzePayload } from "./payloads.ts";
import { analysisMetrics, runAnalysisStep, selectLeadsToAnalyze } from "./run.ts";
import type { JobDefinition } from "../jobs/types.ts";
import { checkLeadReferences } from "./references.ts";

/** Analyses given leads, or leads a selector picks (e.g. not analysed in 90 days), with a protocol and a provider. */
export const leadsAnalyzeJob: JobDefinition<LeadsAnalyzePayload> = {
  type: "leads.analyze",
  summary: "analyse leads (lead_ids or a selector) with a protocol and an LLM provider; budget with max_cost_usd",
  payload: leadsAnalyzePayload,
  async run(ctx) {
    const leadIds = await selectLeadsToAnalyze(ctx.db, ctx.payload, ctx.job.id, ctx.now());
    const r = await runAnalysisStep(ctx, ctx.payload, leadIds, { done: 0, total: 0 });
    ctx.addMetrics({ selected: leadIds.length, ...analysisMetrics(r) });
    return { result: { selected: leadIds.length, ...r } };
  },
  checkReferences: (p, ctx) => checkLeadReferences(p, ctx),
  estimateRunCost: (p) => estimateAnalysisCost(p, p.lead_ids?.length ?? p.selector?.limit ?? 100),
};
