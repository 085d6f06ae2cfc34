import { estimateAnalysisCost } from "./cost-estimate.ts";
import { leadsAnalyzePayload, type LeadsAnalyzePayload } from "./payloads.ts";
import { analysisMetrics, runAnalysisStep, selectLeadsToAnalyze, type AnalysisStepDeps, type AnalysisStepResult } from "./run.ts";
import type { JobContext, JobDefinition } from "../jobs/types.ts";

/** The analysis totals of the job's leads, how many leads were selected, and what reading their annual reports did. */
export type LeadsAnalyzeResult = { selected: number; annualReports: AnalysisReports } & AnalysisStepResult;

/** What an analysis step takes from a job's context; its progress counts on from `base`. */
export function analysisStepDeps(ctx: JobContext<unknown>, base: { done: number; total: number }): AnalysisStepDeps {
  return {
    db: ctx.db,
    jobId: ctx.job.id,
    config: ctx.config,
    env: ctx.env,
    signal: ctx.signal,
    clock: ctx.now,
    log: ctx.log,
    onProgress: (done, total, message) => ctx.progress({ done: base.done + done, total: base.total + total, message }),
    addMetrics: (m) => ctx.addMetrics(m),
  };
}
import { checkLeadReferences } from "./references.ts";
import type { Db } from "../db/handle.ts";
import { readReportsForAnalysis, type AnalysisReports } from "../companies/reports-for-analysis.ts";

/** Analyses given leads, or leads a selector picks (e.g. not analysed in 90 days), with a protocol and a provider. */
export const leadsAnalyzeJob: JobDefinition<LeadsAnalyzePayload, LeadsAnalyzeResult> = {
  type: "leads.analyze",
  summary: "analyse leads (lead_ids or a selector) with a protocol and an LLM provider; budget with max_cost_usd",
  // Up to 500 leads at the provider's pace.
  timeoutMs: 3 * 60 * 60_000,
  payload: leadsAnalyzePayload,
  async run(ctx) {
    const leadIds = await selectLeadsToAnalyze(ctx.db, ctx.payload, ctx.job.id, ctx.now());
    // Re-analysis brings new revenue figures: the companies' latest annual reports first.
    const annualReports = await readReportsForAnalysis(ctx.db, {
      orgnrs: await leadOrgnrs(ctx.db, leadIds),
      config: ctx.config,
      env: ctx.env,
      clock: ctx.now,
      signal: ctx.signal,
    });
    const r = await runAnalysisStep(analysisStepDeps(ctx, { done: 0, total: 0 }), ctx.payload, leadIds);
    ctx.addMetrics({
      selected: leadIds.length,
      ...analysisMetrics(r),
      ...(annualReports.checked > 0 ? { reports_updated: annualReports.updated } : {}),
    });
    return { result: { selected: leadIds.length, annualReports, ...r } };
  },
  checkReferences: (p, ctx) => checkLeadReferences(p, ctx),
  estimateRunCost: (p, config) => estimateAnalysisCost(p, p.lead_ids?.length ?? p.selector?.limit ?? 100, config),
};

/** The companies of leads. */
async function leadOrgnrs(db: Db, leadIds: readonly number[]): Promise<string[]> {
  if (leadIds.length === 0) return [];
  const rows = await db
    .selectFrom("lead")
    .select("orgnr")
    .where("id", "in", [...leadIds])
    .execute();
  return rows.map((r) => r.orgnr);
}
