import { LlmError } from "../integrations/llm/errors.ts";
import { costMicroUsd, type ModelPrice } from "../integrations/llm/prices.ts";
import * as z from "zod";
import { answerSpec } from "../integrations/llm/answer-schema.ts";
import type { ChatMessage, JsonSchemaSpec, LlmProvider } from "../integrations/llm/types.ts";
import { PermanentJobError, RetryLaterError } from "../errors.ts";
import { rateLimitWaitMs } from "../util/rate-limiter.ts";
import type { Sentiment } from "./sentiment-lexicon.ts";
import type { Subject } from "./text-match.ts";

/** Sentiment per mentioned brand or competitor, asked of a chat model as JSON. */
export interface LlmSentimentScorer {
  provider: LlmProvider;
  model: string;
  price: ModelPrice | null;
}

/** What `sentiment_scorer` records for an LLM-scored mention. */
export const scorerName = (s: LlmSentimentScorer) => `${s.provider.name}/${s.model}`;

export interface LlmSentimentResult {
  /** Per subject; null: use the lexicon for this answer. */
  sentiments: Map<Subject, Sentiment> | null;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
}

const SYSTEM =
  "You judge how an AI assistant's answer speaks of companies. For each company listed, give one number from -1 " +
  "(very negative) through 0 (neutral, or only named) to 1 (very positive), judged only from what the answer says about that company.";

/** Keys s1, s2, ... (any company name is a safe label in the prompt, not always as a JSON key). */
export function sentimentRequest(
  text: string,
  subjects: readonly Subject[],
): { messages: ChatMessage[]; schema: JsonSchemaSpec<Record<string, number>> } {
  const keys = subjects.map((_, i) => `s${i + 1}`);
  const properties = Object.fromEntries(
    subjects.map((s, i) => [keys[i] as string, z.number().min(-1).max(1).describe(`sentiment towards ${s.name}`)]),
  );
  return {
    messages: [
      { role: "system", content: SYSTEM },
      {
        role: "user",
        content: `Companies:\n${subjects.map((s, i) => `${keys[i]}: ${s.name}`).join("\n")}\n\nAnswer:\n<<<\n${text.length > 12_000 ? `${text.slice(0, 12_000)}…` : text}\n>>>`,
      },
    ],
    schema: answerSpec<Record<string, number>>("brand_sentiment", z.strictObject(properties)),
  };
}

/**
 * Scores the subjects an answer mentions. `sentiments` is null ("use the lexicon") when the
 * model's answer was unusable even after the provider's repair attempt, or the provider failed
 * after its retries; the tokens it spent are still counted.
 * A rejected key or an unknown model fails the run; a long rate limit puts it back for later.
 */
export async function llmSentiment(
  scorer: LlmSentimentScorer,
  text: string,
  subjects: readonly Subject[],
  signal: AbortSignal,
): Promise<LlmSentimentResult> {
  const { messages, schema } = sentimentRequest(text, subjects);
  try {
    const r = await scorer.provider.chat({
      model: scorer.model,
      messages,
      jsonSchema: schema,
      maxOutputTokens: 40 + 20 * subjects.length,
      temperature: 0,
      signal,
    });
    const values = r.json ?? {};
    const sentiments = new Map<Subject, Sentiment>();
    subjects.forEach((s, i) => {
      const v = values[`s${i + 1}`];
      if (typeof v === "number" && Number.isFinite(v)) sentiments.set(s, labelled(v));
    });
    return {
      sentiments,
      inputTokens: r.usage.inputTokens,
      outputTokens: r.usage.outputTokens,
      costMicroUsd: scorer.price ? costMicroUsd(scorer.price, r.usage) : 0,
    };
  } catch (e) {
    if (!(e instanceof LlmError) || e.kind === "aborted" || signal.aborted) throw e;
    if (e.kind === "auth" || e.kind === "unavailable" || (e.kind === "bad_request" && e.status === 404))
      throw new PermanentJobError(`sentiment provider ${scorerName(scorer)}: ${e.message}`, { cause: e });
    if (e.kind === "rate_limited")
      throw new RetryLaterError(`sentiment provider ${scorerName(scorer)}: ${e.message}`, rateLimitWaitMs(e.retryAfterMs), { cause: e });
    return {
      sentiments: null,
      inputTokens: e.usage.inputTokens,
      outputTokens: e.usage.outputTokens,
      costMicroUsd: scorer.price ? costMicroUsd(scorer.price, e.usage) : 0,
    };
  }
}

/** The model's -1..1 as it is (the lexicon's curve is for raw word sums), with the lexicon's thresholds. */
function labelled(score: number): Sentiment {
  const rounded = Math.round(Math.max(-1, Math.min(1, score)) * 1000) / 1000;
  return { score: rounded, label: rounded >= 0.05 ? "positive" : rounded <= -0.05 ? "negative" : "neutral" };
}
