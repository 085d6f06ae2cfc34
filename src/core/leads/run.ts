import { sql } from "kysely";
import type { Config, Env } from "../config.ts";
import type { Db } from "../db/handle.ts";
import { LeadjobsError } from "../errors.ts";
import { parsePriceSetting, PriceTable, type ModelPrice } from "../integrations/llm/prices.ts";
import { createLlmProvider } from "../integrations/llm/registry.ts";
import type { LlmProvider } from "../integrations/llm/types.ts";
import { PermanentJobError } from "../errors.ts";
import { parseDuration, toInstant } from "../time.ts";
import type { Clock, Logger } from "../types.ts";
import { analysisStats, analyzeLeads, firstAnalysisError, type AnalysisStats } from "./analyze.ts";
import type { LeadsAnalyzePayload, LeadsSearchAndAnalyzePayload } from "./payloads.ts";
import type { ProtocolName } from "./protocols.ts";
import { RulesProvider } from "./rules-provider.ts";
import { findTerminal } from "./terminals.ts";

/** The provider, model and price an analysis runs with (payload > settings > provider default). */
export interface AnalysisSetup {
  provider: LlmProvider;
  model: string;
  price: ModelPrice | null;
}

/**
 * Creates the provider of an analysis (its key checked) and finds the model's price; a missing
 * key, an unknown provider or a budget on a model without a price fail here, before anything
 * is written (a PermanentJobError: a retry cannot fix them).
 */
export async function analysisSetup(
  ctx: { config: Config; env: Env },
  p: { llm_provider?: string | undefined; model?: string | undefined; max_cost_usd?: number | undefined },
): Promise<AnalysisSetup> {
  const name = (p.llm_provider ?? ctx.config.llmProvider ?? "rules").toLowerCase();
  let provider: LlmProvider;
  try {
    provider = name === "rules" ? new RulesProvider() : await createLlmProvider(name, { config: ctx.config, env: ctx.env });
  } catch (e) {
    // A missing key or an unknown provider will not fix itself on a retry.
    if (e instanceof LeadjobsError) throw new PermanentJobError(e.message + (e.hint ? ` (${e.hint})` : ""), { cause: e });
    throw e;
  }
  const configuredModel = name === (ctx.config.llmProvider ?? "rules").toLowerCase() ? ctx.config.llmModel : undefined;
  const model = p.model ?? configuredModel ?? provider.defaultModel;
  let prices: PriceTable;
  try {
    prices = new PriceTable(parsePriceSetting(ctx.config.llmPrices));
  } catch (e) {
    throw new PermanentJobError((e as Error).message, { cause: e });
  }
  const price = prices.priceOf(provider.name, model, provider.free);
  if (p.max_cost_usd !== undefined && price === null) {
    throw new PermanentJobError(
      `no price is known for ${provider.name} model ${model}: add it to the llmPrices setting, or run without max_cost_usd`,
    );
  }
  return { provider, model, price };
}

/** Leads a leads.analyze payload names; with a selector, the same set on every attempt of a job. */
export async function selectLeadsToAnalyze(db: Db, p: LeadsAnalyzePayload, jobId: number, now: number): Promise<number[]> {
  if (p.lead_ids) return p.lead_ids;
  const s = p.selector;
  if (!s) return [];
  const already = (await db.selectFrom("lead_analysis").select("lead_id").where("job_id", "=", jobId).execute()).map((r) => r.lead_id);
  let q = db.selectFrom("lead").select("lead.id");
  if (s.not_analysed_since !== undefined) {
    const since = toInstant(now - parseDuration(s.not_analysed_since));
    q = q.where((eb) => eb.or([eb("lead.analysed_at", "is", null), eb("lead.analysed_at", "<", since)]));
  }
  if (s.terminal !== undefined) {
    const t = await findTerminal(db, s.terminal).catch((e: unknown) => {
      throw new PermanentJobError(`selector.terminal: ${(e as Error).message}`);
    });
    q = q.where("lead.terminal_id", "=", t.id);
  }
  if (s.status) q = q.where("lead.status", "in", s.status);
  if (s.min_score !== undefined) q = q.where("lead.score", ">=", s.min_score);
  if (already.length > 0) q = q.where("lead.id", "not in", already);
  const fresh = await q
    .orderBy(sql`lead.analysed_at is not null`)
    .orderBy("lead.analysed_at")
    .orderBy("lead.id")
    .limit(Math.max(0, s.limit - already.length))
    .execute();
  return [...already, ...fresh.map((r) => r.id)];
}

export interface AnalysisStepResult extends AnalysisStats {
  protocol: ProtocolName;
  provider: string;
  model: string;
  stoppedByBudget: boolean;
  priceKnown: boolean;
}

/** What an analysis step needs from the job that runs it. */
export interface AnalysisStepDeps {
  db: Db;
  /** The job the analyses are recorded under (its earlier attempts' analyses count). */
  jobId: number;
  config: Config;
  /** API keys come from here. */
  env: Env;
  signal: AbortSignal;
  clock: Clock;
  log: Logger;
  /** Leads analysed so far of this step's leads, with a line for humans. */
  onProgress: (done: number, total: number, message: string) => void;
  /** Adds to the attempt's metrics (what the calls cost, also when the step fails). */
  addMetrics: (metrics: Record<string, number>) => void;
}

/**
 * Runs the analysis of a job's leads and returns the run's totals (all attempts). A run whose
 * every analysis failed (none succeeded) does not complete: it fails for good, with the first error.
 */
export async function runAnalysisStep(
  deps: AnalysisStepDeps,
  p: LeadsAnalyzePayload | LeadsSearchAndAnalyzePayload,
  leadIds: number[],
  ready?: AnalysisSetup,
): Promise<AnalysisStepResult> {
  const setup = ready ?? (await analysisSetup(deps, p));
  const { stoppedByBudget } = await analyzeLeads(
    {
      db: deps.db,
      jobId: deps.jobId,
      protocol: p.analysis_protocol,
      provider: setup.provider,
      model: setup.model,
      price: setup.price,
      maxCostMicroUsd: p.max_cost_usd === undefined ? undefined : Math.round(p.max_cost_usd * 1_000_000),
      signal: deps.signal,
      clock: deps.clock,
      log: deps.log,
      onProgress: (done, total, failed) =>
        deps.onProgress(
          done,
          total,
          `looked at ${done}/${total} leads: ${done - failed} analysed, ${failed} failed (${p.analysis_protocol}, ${setup.provider.name})`,
        ),
    },
    leadIds,
  );
  const stats = await analysisStats(deps.db, deps.jobId);
  const result = {
    ...stats,
    protocol: p.analysis_protocol,
    provider: setup.provider.name,
    model: setup.model,
    stoppedByBudget,
    priceKnown: setup.price !== null,
  };
  if (stats.analysed === 0 && stats.failed > 0) {
    deps.addMetrics(analysisMetrics(result)); // the attempt still records what the calls cost
    const first = await firstAnalysisError(deps.db, deps.jobId);
    throw new PermanentJobError(
      `every analysis failed (${stats.failed} of ${stats.failed + stats.notAnalysed} leads): ${first ?? "no error recorded"}`,
    );
  }
  return result;
}

/** Job metrics of an analysis (summed per schedule by the schedules feature). */
export function analysisMetrics(r: AnalysisStepResult): Record<string, number> {
  return {
    analysed: r.analysed,
    failed: r.failed,
    not_analysed: r.notAnalysed,
    tokens_in: r.inputTokens,
    tokens_out: r.outputTokens,
    cost_microusd: r.costMicroUsd,
    ...(r.priceKnown ? {} : { price_unknown: 1 }),
  };
}
