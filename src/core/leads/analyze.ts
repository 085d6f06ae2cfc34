import { sql } from "kysely";
import type { AnalysisStatus } from "./schema.ts";
import { immediate, type Db } from "../db/handle.ts";
import { LlmError } from "../integrations/llm/errors.ts";
import { costMicroUsd, formatUsd, type ModelPrice } from "../integrations/llm/prices.ts";
import type { ChatUsage, LlmProvider } from "../integrations/llm/types.ts";
import { PermanentJobError, RetryLaterError } from "../errors.ts";
import { toInstant } from "../time.ts";
import type { Clock, Logger } from "../types.ts";
import { rateLimitWaitMs } from "../util/rate-limiter.ts";
import { recordEvents, type LeadEventInput } from "./events.ts";
import { loadLeadFacts, type LeadForAnalysis } from "./facts.ts";
import { analysisMessages, estimateTokens } from "./prompt.ts";
import { answerSchema, answerVerdicts, PROTOCOLS, type LeadVerdict, type ProtocolName } from "./protocols.ts";

export interface AnalysisRun {
  db: Db;
  /** The run: a lead is analysed at most once per job, whatever the retries. */
  jobId: number;
  protocol: ProtocolName;
  provider: LlmProvider;
  model: string;
  /** null: unknown (cost recorded as 0). Free providers have a zero price. */
  price: ModelPrice | null;
  /** Stop before the run's cost could exceed this (micro-dollars). */
  maxCostMicroUsd?: number | undefined;
  signal: AbortSignal;
  clock: Clock;
  log: Logger;
  /** Leads looked at so far (this attempt), of `total`, and how many of them failed. */
  onProgress?: ((done: number, total: number, failed: number) => void) | undefined;
}

export interface AnalysisStats {
  analysed: number;
  failed: number;
  /** Left out because the budget would have been exceeded. */
  notAnalysed: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
}

/**
 * Analyses leads with a protocol and a provider and records every outcome in the lead's
 * history. Idempotent per job: leads this job already analysed (in an earlier attempt that
 * crashed or failed) are not analysed again. Before each call it checks that the run's spend
 * plus the call's worst case (its prompt and output cap, twice for a repair) stays within the
 * budget; the leads left are recorded as not analysed.
 */
export async function analyzeLeads(run: AnalysisRun, leadIds: readonly number[]): Promise<{ stoppedByBudget: boolean }> {
  const protocol = PROTOCOLS[run.protocol];
  if (run.maxCostMicroUsd !== undefined && run.price === null) {
    throw new PermanentJobError(
      `no price is known for ${run.provider.name} model ${run.model}: add it to the llmPrices setting, or run without max_cost_usd`,
    );
  }
  const done = new Set(
    (await run.db.selectFrom("lead_analysis").select("lead_id").where("job_id", "=", run.jobId).execute()).map((r) => r.lead_id),
  );
  const todo = [...new Set(leadIds)].filter((id) => !done.has(id));
  let spent = Number(
    (
      await run.db
        .selectFrom("lead_analysis")
        .select(sql<number>`coalesce(sum(cost_microusd), 0)`.as("c"))
        .where("job_id", "=", run.jobId)
        .executeTakeFirstOrThrow()
    ).c,
  );
  const leads = await loadLeadFacts(run.db, todo, protocol);
  const total = leads.length;
  let finished = 0;
  let failed = 0;
  const schema = answerSchema(protocol);
  for (let i = 0; i < leads.length; i += protocol.leadsPerCall) {
    if (run.signal.aborted) throw run.signal.reason;
    const chunk = leads.slice(i, i + protocol.leadsPerCall);
    const messages = analysisMessages(
      protocol,
      chunk.map((l) => l.facts),
    );
    const worst = run.price ? 2 * (estimateTokens(messages) * run.price.input + protocol.maxOutputTokens * run.price.output) : 0;
    if (run.maxCostMicroUsd !== undefined && spent + worst > run.maxCostMicroUsd) {
      const reason = `budget: ${formatUsd(spent)} spent of ${formatUsd(run.maxCostMicroUsd)}; the next call could cost up to ${formatUsd(Math.ceil(worst))}`;
      await record(
        run,
        leads.slice(i).map((l) => ({ lead: l, status: "not_analysed" as const, error: reason })),
        { inputTokens: 0, outputTokens: 0 },
        0,
        0,
      );
      run.log.info(`stopping before the budget is exceeded: ${leads.length - i} leads not analysed`);
      return { stoppedByBudget: true };
    }
    const started = run.clock();
    try {
      const r = await run.provider.chat({
        model: run.model,
        messages,
        jsonSchema: schema,
        maxOutputTokens: protocol.maxOutputTokens,
        signal: run.signal,
      });
      const cost = run.price ? costMicroUsd(run.price, r.usage) : 0;
      spent += cost;
      const verdicts = r.json === undefined ? [] : answerVerdicts(r.json);
      const outcomes = chunk.map((lead, k) => {
        const v = protocol.leadsPerCall === 1 ? verdicts[k] : verdicts.find((x) => x.orgnr?.replace(/\D/g, "").endsWith(lead.facts.orgnr));
        return v
          ? { lead, status: "succeeded" as const, verdict: v }
          : { lead, status: "failed" as const, error: "the answer had no result for this lead" };
      });
      failed += outcomes.filter((o) => o.status === "failed").length;
      await record(run, outcomes, r.usage, cost, run.clock() - started, r.model);
    } catch (e) {
      if (!(e instanceof LlmError)) throw e;
      const cost = run.price ? costMicroUsd(run.price, e.usage) : 0;
      if (e.kind === "invalid_output") {
        spent += cost;
        failed += chunk.length;
        await record(
          run,
          chunk.map((lead) => ({ lead, status: "failed" as const, error: e.message })),
          e.usage,
          cost,
          run.clock() - started,
        );
      } else if (e.kind === "aborted") {
        throw e;
      } else if (e.kind === "rate_limited" && e.retryAfterMs !== undefined) {
        throw new RetryLaterError(
          `${e.message} (the server asks to wait ${Math.ceil(e.retryAfterMs / 1000)} s)`,
          rateLimitWaitMs(e.retryAfterMs),
          { cause: e },
        );
      } else if (e.kind === "auth" || e.kind === "bad_request" || e.kind === "unavailable") {
        throw new PermanentJobError(e.message, { cause: e });
      } else {
        throw e; // transient or timeout after the provider's own retries: the queue retries the job later
      }
    }
    finished += chunk.length;
    run.onProgress?.(finished, total, failed);
  }
  return { stoppedByBudget: false };
}

interface Outcome {
  lead: LeadForAnalysis;
  status: AnalysisStatus;
  verdict?: LeadVerdict;
  error?: string;
}

/** Writes one call's outcomes: history rows (once per job and lead), the lead's latest verdict, events. */
async function record(
  run: AnalysisRun,
  outcomes: readonly Outcome[],
  usage: ChatUsage,
  cost: number,
  durationMs: number,
  model = run.model,
): Promise<void> {
  const now = run.clock();
  const stamp = toInstant(now);
  const n = outcomes.length;
  const share = (total: number, k: number) => Math.floor(total / n) + (k < total % n ? 1 : 0);
  await immediate(run.db, async (trx) => {
    const events: LeadEventInput[] = [];
    for (const [k, o] of outcomes.entries()) {
      const v = o.verdict;
      const inserted = await trx
        .insertInto("lead_analysis")
        .values({
          lead_id: o.lead.leadId,
          job_id: run.jobId,
          protocol: run.protocol,
          provider: run.provider.name,
          model,
          status: o.status,
          score: v?.fit_score ?? null,
          segment: v?.segment ?? null,
          volume_class: v?.volume_class ?? null,
          next_step: v?.next_step ?? null,
          reasons: v ? JSON.stringify(v.reasons) : null,
          output: v ? JSON.stringify(v) : null,
          error: o.error ?? null,
          input_tokens: share(usage.inputTokens, k),
          output_tokens: share(usage.outputTokens, k),
          cost_microusd: share(cost, k),
          duration_ms: Math.round(durationMs / n),
          created_at: stamp,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) continue; // already recorded by this job
      if (v) {
        await trx
          .updateTable("lead")
          .set({
            score: v.fit_score,
            segment: v.segment,
            volume_class: v.volume_class,
            next_step: v.next_step,
            analysed_at: stamp,
            updated_at: stamp,
          })
          .where("id", "=", o.lead.leadId)
          .execute();
      }
      const kind = o.status === "succeeded" ? "analysed" : o.status === "failed" ? "analysis_failed" : "not_analysed";
      events.push({
        leadId: o.lead.leadId,
        kind,
        actor: `job:${run.jobId}`,
        jobId: run.jobId,
        at: now,
        detail: v ? { score: v.fit_score, protocol: run.protocol, provider: run.provider.name } : { error: o.error },
      });
    }
    await recordEvents(trx, events);
  });
}

/** The error of a job's first failed analysis, if any. */
export async function firstAnalysisError(db: Db, jobId: number): Promise<string | null> {
  const r = await db
    .selectFrom("lead_analysis")
    .select("error")
    .where("job_id", "=", jobId)
    .where("status", "=", "failed")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return r?.error ?? null;
}

/** What a job's analyses add up to, across all its attempts (the metrics of the run). */
export async function analysisStats(db: Db, jobId: number): Promise<AnalysisStats> {
  const r = await db
    .selectFrom("lead_analysis")
    .select([
      sql<number>`count(case when status = 'succeeded' then 1 end)`.as("analysed"),
      sql<number>`count(case when status = 'failed' then 1 end)`.as("failed"),
      sql<number>`count(case when status = 'not_analysed' then 1 end)`.as("not_analysed"),
      sql<number>`coalesce(sum(input_tokens), 0)`.as("tokens_in"),
      sql<number>`coalesce(sum(output_tokens), 0)`.as("tokens_out"),
      sql<number>`coalesce(sum(cost_microusd), 0)`.as("cost"),
    ])
    .where("job_id", "=", jobId)
    .executeTakeFirstOrThrow();
  return {
    analysed: r.analysed,
    failed: r.failed,
    notAnalysed: r.not_analysed,
    inputTokens: r.tokens_in,
    outputTokens: r.tokens_out,
    costMicroUsd: r.cost,
  };
}
