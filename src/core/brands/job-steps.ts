import type { BrandRow } from "./schema.ts";
import { PermanentJobError, RetryLaterError, UsageError } from "../errors.ts";
import type { JobContext, ReferenceContext } from "../jobs/types.ts";
import { checkProviderAndModel } from "../integrations/llm/known-models.ts";
import { findBrand } from "./repository.ts";
import { collectionLimiters, parseBrandRates, parseProviderRates, rateFor, sharedLimiter } from "./collect-limits.ts";
import { collectAnswers, type CollectProblem, type CollectResult } from "./collect-run.ts";
import {
  assertKnownCollector,
  chosenCollectors,
  createCollectors,
  parseCollector,
  parseCollectors,
  setupErrorMessage,
  type Collector,
} from "./collectors.ts";
import type { BrandCollectPayload, BrandScorePayload } from "./payloads.ts";
import { scoreUnscoredAnswers, type ScoringMetrics } from "./scoring-run.ts";
import type { LlmSentimentScorer } from "./sentiment-llm.ts";

type Ctx = JobContext<unknown>;

/** Turns a setup error (no collector, unknown provider, missing key, bad setting) into "dead at once". */
async function setup<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const message = setupErrorMessage(e);
    if (message !== null) throw new PermanentJobError(message, { cause: e });
    throw e;
  }
}

/**
 * Every collector's provider, created before anything is asked, each retrying through its
 * provider's rate limiter: a back-off (429, 5xx) blocks that provider's lane, not the others.
 */
export async function prepareCollectors(ctx: Ctx, p: BrandCollectPayload): Promise<Collector[]> {
  return setup(async () => {
    const specs = chosenCollectors(Array.isArray(p.collectors) ? p.collectors : p.collectors?.split(","), ctx.config);
    const rates = parseProviderRates(ctx.config.brandProviderRpm);
    parseBrandRates(ctx.config.brandRpm); // a bad setting fails here, before anything is asked
    const collectors = await createCollectors(specs, {
      config: ctx.config,
      env: ctx.env,
      retryFor: (provider) => ({
        sleep: async (ms, signal) => {
          const limiter = sharedLimiter(`provider:${provider}`, rateFor(rates, provider), ctx.now);
          ctx.addMetrics({ backoffs: 1 });
          limiter.block(ms);
          await limiter.acquire(signal);
        },
      }),
    });
    if (p.maxCostUsd !== undefined) {
      const unpriced = collectors.filter((c) => c.price === null).map((c) => c.key);
      if (unpriced.length > 0)
        throw new PermanentJobError(
          `no price is known for ${unpriced.join(", ")}: add it to the llmPrices setting, or run without maxCostUsd`,
        );
    }
    return collectors;
  });
}

/** Collects a brand's answers; the attempt's metrics are added as it goes. Returns with `problem` for the caller to throw. */
export async function collectStep(
  ctx: Ctx,
  p: BrandCollectPayload,
  brand: BrandRow,
  collectors: Collector[],
  progressBase = 0,
): Promise<CollectResult> {
  const limiters = collectionLimiters(brand, ctx.config, ctx.now);
  return collectAnswers({
    db: ctx.db,
    jobId: ctx.job.id,
    brand,
    collectors,
    parallel: p.parallel,
    queryLimit: p.queryLimit,
    maxCostMicroUsd: p.maxCostUsd === undefined ? undefined : Math.round(p.maxCostUsd * 1_000_000),
    providerLimiter: limiters.provider,
    brandLimiter: limiters.brand,
    customerLimiter: limiters.customer,
    signal: ctx.signal,
    clock: ctx.now,
    log: ctx.log,
    addMetrics: (m) => ctx.addMetrics(m),
    onProgress: (done, total, message) => ctx.progress({ done: progressBase + done, total: progressBase + total, message }),
  });
}

/** Ends the attempt the way a collection's problem asks: dead, retried with backoff, or back after the rate limit. */
export function throwProblem(problem: CollectProblem | null): void {
  if (!problem) return;
  if (problem.kind === "permanent") throw new PermanentJobError(problem.message);
  if (problem.kind === "retry_later") throw new RetryLaterError(problem.message, problem.delayMs);
  throw new Error(problem.message);
}

/** The sentiment scorer a payload asks for: undefined for the lexicon. Created before anything is scored. */
export async function prepareSentiment(ctx: Ctx, name: string | undefined): Promise<LlmSentimentScorer | undefined> {
  const chosen = (name ?? ctx.config.brandSentimentProvider ?? "lexicon").trim();
  if (chosen.toLowerCase() === "lexicon") return undefined;
  // The same provider, model and price as a collector of that name.
  return setup(async () => (await createCollectors([parseCollector(chosen)], { config: ctx.config, env: ctx.env }))[0]);
}

/** Scores a brand's unscored answers with the payload's limits (and sentiment scorer). */
export async function scoreStep(
  ctx: Ctx,
  p: Pick<BrandScorePayload, "positionLimit" | "sentimentLimit">,
  brand: BrandRow,
  scorer: LlmSentimentScorer | undefined,
  progressBase = 0,
): Promise<ScoringMetrics> {
  const limits = { positionLimit: p.positionLimit, sentimentLimit: p.sentimentLimit ?? p.positionLimit };
  return scoreUnscoredAnswers(
    ctx.db,
    brand,
    limits,
    ctx.now,
    (done, total) => {
      ctx.progress({ done: progressBase + done, total: progressBase + total, message: `scored ${done} of ${total} answers` });
      ctx.signal.throwIfAborted();
    },
    scorer ? { scorer, signal: ctx.signal, addMetrics: (m) => ctx.addMetrics(m) } : undefined,
  );
}

/** A brand payload's brand, collectors and sentiment provider must exist (`checkReferences` of the brand job types). */
export async function checkBrandReferences(
  p: { brand: string | number; collectors?: string | string[] | undefined; sentimentProvider?: string | undefined },
  ctx: ReferenceContext,
): Promise<void> {
  await findBrand(ctx.db, String(p.brand));
  const specs = p.collectors === undefined ? [] : parseCollectors(p.collectors);
  for (const s of specs) {
    try {
      assertKnownCollector(s.provider, ctx.env);
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`collectors: ${e.message}`);
      throw e;
    }
    checkProviderAndModel(s.provider, s.model, ctx.config, ctx.env, { provider: "collectors", model: "collectors" });
  }
  const scorer = p.sentimentProvider?.trim();
  if (scorer !== undefined && scorer.toLowerCase() !== "lexicon") {
    const s = parseCollector(scorer);
    checkProviderAndModel(s.provider, s.model, ctx.config, ctx.env, { provider: "sentimentProvider", model: "sentimentProvider" });
  }
}
