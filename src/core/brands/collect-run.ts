import type { BrandRow } from "./schema.ts";
import { plural } from "../util/plural.ts";
import type { Db } from "../db/handle.ts";
import { LlmError } from "../integrations/llm/errors.ts";
import { costMicroUsd, formatUsd } from "../integrations/llm/prices.ts";
import type { ChatMessage } from "../integrations/llm/types.ts";
import { estimateTokens } from "../leads/prompt.ts";
import { toInstant } from "../time.ts";
import type { Clock, Logger } from "../types.ts";
import { rateLimitWaitMs, type RateLimiter } from "../util/rate-limiter.ts";
import type { Collector } from "./collectors.ts";
import { jobAnswers, queriesToAsk, runKey, storeAnswer, type QueryToAsk } from "./collect-store.ts";

/** Cap on an answer's tokens: assistants answer buying questions in 300–800. */
export const MAX_ANSWER_TOKENS = 1500;
/** A lane stops after this many failed questions in a row (the provider is down, not one question). */
const FAILURES_IN_A_ROW = 3;

export interface CollectRun {
  db: Db;
  /** The run: each answer is stored once per job, whatever the retries. */
  jobId: number;
  brand: BrandRow;
  collectors: readonly Collector[];
  /** Questions in flight at once per collector. */
  parallel: number;
  queryLimit?: number | undefined;
  /** Stop asking before the job's API spend could exceed this (micro-dollars). */
  maxCostMicroUsd?: number | undefined;
  /** The provider's limiter (shared by every lane of that provider). */
  providerLimiter: (provider: string) => RateLimiter;
  /** The brand's and its customer's limiters (shared by every job of that brand, or customer, in the process). */
  brandLimiter: RateLimiter;
  customerLimiter: RateLimiter;
  signal: AbortSignal;
  clock: Clock;
  log: Logger;
  /** Called as work happens, so an attempt that fails or times out still records what it spent. */
  addMetrics: (m: Record<string, number>) => void;
  onProgress?: ((done: number, total: number, message: string) => void) | undefined;
}

/** Why a collector's lane stopped before its last question. */
export type LaneStop =
  | { kind: "rate_limited"; retryAfterMs: number; message: string }
  | { kind: "failing"; message: string }
  | { kind: "permanent"; message: string }
  | { kind: "budget"; message: string };

export interface LaneResult {
  collector: string;
  asked: number;
  stored: number;
  failed: number;
  alreadyStored: number;
  notAsked: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  priceKnown: boolean;
  stopped: LaneStop | null;
}

export interface CollectResult {
  brand: string;
  queries: number;
  lanes: LaneResult[];
  /** Answers this job has stored over all its attempts. */
  storedByJob: number;
  /** What the attempt's end should be: null when every question was answered (or left out by the budget). */
  problem: CollectProblem | null;
}

export type CollectProblem =
  | { kind: "retry_later"; delayMs: number; message: string }
  | { kind: "retry"; message: string }
  | { kind: "permanent"; message: string };

/**
 * Asks every active query of a brand through every collector and stores the answers. Each
 * collector is its own lane (up to `parallel` questions at once, through its provider's rate
 * limiter and the customer's): a 429 or an outage slows or stops that lane only, the others go
 * on. Questions this job answered in an earlier attempt are not asked again. Never throws for
 * a provider's failure: the result says how the attempt should end; only an abort (cancel,
 * timeout) or an unexpected error is thrown, after every lane has stopped.
 */
export async function collectAnswers(run: CollectRun): Promise<CollectResult> {
  const queries = await queriesToAsk(run.db, run.brand.id, run.jobId, run.queryLimit);
  const before = await jobAnswers(run.db, run.jobId);
  const budget = { spent: before.spentMicroUsd, reserved: 0 };
  let done = 0;
  const plans = run.collectors.map((c) => {
    const todo = queries.filter((q) => !before.keys.has(runKey(run.jobId, q.id, c.key)));
    done += queries.length - todo.length;
    return { collector: c, todo };
  });
  const total = queries.length * run.collectors.length;
  run.addMetrics({ queries_executed: 0, answers_stored: 0, failed: 0, tokens_in: 0, tokens_out: 0, cost_microusd: 0 });
  const already = done;
  if (already > 0) run.addMetrics({ already_stored: already });
  if (run.collectors.some((c) => c.price === null)) run.addMetrics({ price_unknown: 1 });
  const progress = (message: string) => run.onProgress?.(done, total, message);
  progress(`asking ${plural(queries.length, "query", "queries")} through ${plural(run.collectors.length, "collector")}`);
  let unexpected: unknown;

  const lane = async (c: Collector, todo: QueryToAsk[]): Promise<LaneResult> => {
    const r: LaneResult = {
      collector: c.key,
      asked: 0,
      stored: 0,
      failed: 0,
      alreadyStored: queries.length - todo.length,
      notAsked: 0,
      inputTokens: 0,
      outputTokens: 0,
      costMicroUsd: 0,
      priceKnown: c.price !== null,
      stopped: null,
    };
    const limiter = run.providerLimiter(c.provider.name);
    let next = 0;
    let inARow = 0;
    const stop = (s: LaneStop) => {
      if (!r.stopped) {
        r.stopped = s;
        run.log.info(`${c.key}: stopped: ${s.message}`);
      }
    };
    const ask = async (q: QueryToAsk): Promise<void> => {
      const messages: ChatMessage[] = [{ role: "user", content: q.text }];
      const worst = c.price ? estimateTokens(messages) * c.price.input + MAX_ANSWER_TOKENS * c.price.output : 0;
      if (run.maxCostMicroUsd !== undefined && worst > 0 && budget.spent + budget.reserved + worst > run.maxCostMicroUsd) {
        stop({
          kind: "budget",
          message: `budget: ${formatUsd(budget.spent)} spent of ${formatUsd(run.maxCostMicroUsd)}; the next question could cost up to ${formatUsd(Math.ceil(worst))}`,
        });
        r.notAsked++;
        return;
      }
      budget.reserved += worst;
      try {
        await limiter.acquire(run.signal);
        await run.brandLimiter.acquire(run.signal);
        await run.customerLimiter.acquire(run.signal);
        if (r.stopped || unexpected !== undefined) {
          r.notAsked++; // the lane stopped while this question waited for its turn
          return;
        }
        const askedAt = toInstant(run.clock());
        r.asked++;
        let cost = 0;
        try {
          const reply = await c.provider.chat({ model: c.model, messages, maxOutputTokens: MAX_ANSWER_TOKENS, signal: run.signal });
          cost = c.price ? costMicroUsd(c.price, reply.usage) : 0;
          const stored = await storeAnswer(run.db, {
            brandId: run.brand.id,
            query: q,
            provider: c.provider.name,
            model: reply.model || c.model,
            askedAt,
            inputTokens: reply.usage.inputTokens,
            outputTokens: reply.usage.outputTokens,
            costMicroUsd: cost,
            text: reply.text,
            jobId: run.jobId,
            runKey: runKey(run.jobId, q.id, c.key),
          });
          inARow = 0;
          if (stored) r.stored++;
          r.inputTokens += reply.usage.inputTokens;
          r.outputTokens += reply.usage.outputTokens;
          r.costMicroUsd += cost;
          budget.spent += cost;
          run.addMetrics({
            queries_executed: 1,
            answers_stored: stored ? 1 : 0,
            tokens_in: reply.usage.inputTokens,
            tokens_out: reply.usage.outputTokens,
            cost_microusd: cost,
          });
        } catch (e) {
          if (!(e instanceof LlmError)) throw e;
          if (e.kind === "aborted" || run.signal.aborted) {
            r.asked--;
            r.notAsked++;
            return;
          }
          cost = c.price ? costMicroUsd(c.price, e.usage) : 0;
          r.failed++;
          r.costMicroUsd += cost;
          budget.spent += cost;
          run.addMetrics({
            queries_executed: 1,
            failed: 1,
            tokens_in: e.usage.inputTokens,
            tokens_out: e.usage.outputTokens,
            cost_microusd: cost,
          });
          run.log.debug(`${c.key}: query ${q.id} failed: ${e.message}`);
          // Here the provider's own retries are spent: come back in a minute at the earliest.
          if (e.kind === "rate_limited") stop({ kind: "rate_limited", retryAfterMs: rateLimitWaitMs(e.retryAfterMs), message: e.message });
          else if (e.kind === "auth" || e.kind === "unavailable" || (e.kind === "bad_request" && e.status === 404))
            stop({ kind: "permanent", message: e.message });
          else if (++inARow >= FAILURES_IN_A_ROW) {
            stop(
              e.retryable
                ? { kind: "failing", message: `${inARow} questions failed in a row; the last: ${e.message}` }
                : { kind: "permanent", message: `${inARow} questions failed in a row; the last: ${e.message}` },
            );
          }
        }
      } finally {
        budget.reserved -= worst;
      }
    };
    const worker = async (): Promise<void> => {
      for (;;) {
        const q = todo[next];
        if (!q || r.stopped || run.signal.aborted || unexpected !== undefined) return;
        next++;
        try {
          await ask(q);
        } catch (e) {
          if (run.signal.aborted) {
            r.notAsked++;
            return;
          }
          unexpected ??= e; // a bug or the database: stop every lane, then throw
          return;
        }
        done++;
        progress(`${c.key}: ${r.stored} stored, ${r.failed} failed`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(run.parallel, todo.length)) }, () => worker()));
    r.notAsked += todo.length - next;
    if (r.notAsked > 0) run.addMetrics({ not_asked: r.notAsked });
    return r;
  };

  const lanes = await Promise.all(plans.map((p) => lane(p.collector, p.todo)));
  if (unexpected !== undefined) throw unexpected;
  run.signal.throwIfAborted();
  const storedByJob = (await jobAnswers(run.db, run.jobId)).stored;
  return { brand: run.brand.name, queries: queries.length, lanes, storedByJob, problem: problemOf(lanes) };
}

/**
 * How an attempt with stopped lanes ends. A collector that cannot work (a rejected key, an
 * unknown model) fails the job at once; one that was failing is retried with the queue's
 * backoff; one that was only rate limited comes back when the provider said. The retry asks
 * only what is missing.
 */
export function problemOf(lanes: readonly LaneResult[]): CollectProblem | null {
  const stopped = lanes.filter((l) => l.stopped && l.stopped.kind !== "budget");
  if (stopped.length === 0) return null;
  const stored = lanes.reduce((s, l) => s + l.stored, 0);
  const describe = stopped
    .map((l) => `${l.collector}: ${l.stopped?.message} (this attempt: ${l.failed} failed, ${l.notAsked} not asked)`)
    .join("; ");
  const message = `${describe}; ${plural(stored, "answer")} stored by this attempt`;
  if (stopped.some((l) => l.stopped?.kind === "permanent")) return { kind: "permanent", message };
  if (stopped.some((l) => l.stopped?.kind === "failing")) return { kind: "retry", message };
  const delayMs = Math.max(...stopped.map((l) => (l.stopped?.kind === "rate_limited" ? l.stopped.retryAfterMs : 0)));
  return { kind: "retry_later", delayMs, message: `${message} (rate limited: back in ${Math.ceil(delayMs / 1000)} s)` };
}
