import * as z from "zod";
import { immediate, type Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { answerSpec } from "../integrations/llm/answer-schema.ts";
import type { ChatMessage, LlmProvider } from "../integrations/llm/types.ts";
import { toInstant } from "../time.ts";
import { listCompetitors, listTopics } from "./repository.ts";
import type { BrandRow } from "./schema.ts";
import { templateQueries } from "./query-templates.ts";

/** Where proposals come from: the offline templates, or a chat model asked for JSON. */
export type QuerySource = { kind: "rules" } | { kind: "llm"; provider: LlmProvider; model: string };

/** What one topic got: the proposals, and which were new (stored inactive) or already there. */
export interface TopicProposals {
  topic: string;
  queries: Array<{ id: number; text: string; added: boolean; active: boolean }>;
  inputTokens: number;
  outputTokens: number;
}

const ANSWER = z.strictObject({
  queries: z.array(z.string().min(8).max(300)).min(1).max(10).describe("questions a buyer would ask an AI assistant"),
});
const SPEC = answerSpec<z.infer<typeof ANSWER>>("brand_queries", ANSWER);

/** The brand's topics to generate for: all, or the one named (exit 2 when it has none, or not that one). */
export async function topicsFor(db: Db, brandId: number, topic: string | undefined): Promise<Array<{ id: number; name: string }>> {
  const topics = await listTopics(db, brandId);
  if (topics.length === 0)
    throw new UsageError("the brand has no topics", { hint: "add one with `leadjobs brands topics BRAND --add NAME`" });
  if (topic === undefined) return topics;
  const found = topics.find((t) => t.name.toLowerCase() === topic.trim().toLowerCase());
  if (!found) throw new UsageError(`the brand has no topic "${topic}": its topics are ${topics.map((t) => t.name).join(", ")}`);
  return [found];
}

/**
 * Proposes queries for each topic and stores the new ones inactive (until `brands queries activate`).
 * A proposal the brand already has (in any case) is reported, not stored again, so a second run adds nothing.
 */
export async function generateQueries(
  db: Db,
  brand: BrandRow,
  topics: ReadonlyArray<{ id: number; name: string }>,
  source: QuerySource,
  o: { now: number; signal?: AbortSignal | undefined },
): Promise<TopicProposals[]> {
  const competitors = (await listCompetitors(db, brand.id)).map((c) => c.name);
  const out: TopicProposals[] = [];
  for (const t of topics) {
    const asked =
      source.kind === "rules"
        ? { texts: templateQueries(t.name), inputTokens: 0, outputTokens: 0 }
        : await ask(source, brand, competitors, t.name, o.signal);
    const queries = await immediate(db, (trx) => storeProposals(trx, brand.id, t.id, asked.texts, o.now));
    out.push({ topic: t.name, queries, inputTokens: asked.inputTokens, outputTokens: asked.outputTokens });
  }
  return out;
}

/** Stores proposals inactive under a topic; one the brand already has is returned as it is. Call inside a transaction. */
export async function storeProposals(
  trx: Db,
  brandId: number,
  topicId: number,
  texts: readonly string[],
  now: number,
): Promise<TopicProposals["queries"]> {
  const stamp = toInstant(now);
  const existing = await trx.selectFrom("brand_query").select(["id", "text", "active"]).where("brand_id", "=", brandId).execute();
  const byKey = new Map(existing.map((q) => [key(q.text), q]));
  const out: TopicProposals["queries"] = [];
  for (const text of texts.map((t) => t.trim().replace(/\s+/g, " ")).filter(Boolean)) {
    if (out.some((q) => key(q.text) === key(text))) continue;
    const found = byKey.get(key(text));
    if (found) {
      out.push({ id: found.id, text: found.text, added: false, active: found.active === 1 });
      continue;
    }
    const row = await trx
      .insertInto("brand_query")
      .values({ brand_id: brandId, topic_id: topicId, text, active: 0, created_at: stamp, updated_at: stamp })
      .returning("id")
      .executeTakeFirstOrThrow();
    out.push({ id: row.id, text, added: true, active: false });
  }
  return out;
}

const key = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();

async function ask(
  source: Extract<QuerySource, { kind: "llm" }>,
  brand: BrandRow,
  competitors: readonly string[],
  topic: string,
  signal: AbortSignal | undefined,
): Promise<{ texts: string[]; inputTokens: number; outputTokens: number }> {
  const messages: ChatMessage[] = [
    {
      role: "system",
      content:
        "You write the questions Swedish business buyers ask AI assistants when they look for a supplier. " +
        "Write short, natural questions, most in Swedish and some in English. Never name the brand or its competitors.",
    },
    {
      role: "user",
      content: `Brand: ${brand.name}\nCompetitors: ${competitors.join(", ") || "-"}\nTopic: ${topic}\n\nPropose up to 8 questions about this topic.`,
    },
  ];
  const r = await source.provider.chat({ model: source.model, messages, jsonSchema: SPEC, maxOutputTokens: 800, signal });
  return { texts: r.json?.queries ?? [], inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens };
}
