import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

export interface BrandTables {
  customer: CustomerTable;
  brand: BrandTable;
  competitor: CompetitorTable;
  topic: TopicTable;
  brand_query: BrandQueryTable;
  answer: AnswerTable;
  answer_mention: AnswerMentionTable;
  answer_citation: AnswerCitationTable;
}

export interface CustomerTable {
  id: Generated<number>;
  name: string;
  created_at: Instant;
}

export interface BrandTable {
  id: Generated<number>;
  customer_id: number;
  name: string;
  /** JSON array of other names the brand goes by. */
  aliases: string;
  /** JSON array of the brand's own web domains. */
  domains: string;
  created_at: Instant;
  updated_at: Instant;
}
export type BrandRow = Selectable<BrandTable>;

export interface CompetitorTable {
  id: Generated<number>;
  brand_id: number;
  name: string;
  aliases: string;
  domains: string;
  created_at: Instant;
}
export type CompetitorRow = Selectable<CompetitorTable>;

export interface TopicTable {
  id: Generated<number>;
  brand_id: number;
  name: string;
  created_at: Instant;
}

export interface BrandQueryTable {
  id: Generated<number>;
  brand_id: number;
  topic_id: number | null;
  text: string;
  active: 0 | 1;
  created_at: Instant;
  updated_at: Instant;
}

export interface AnswerTable {
  id: Generated<number>;
  brand_id: number;
  query_id: number | null;
  query_text: string;
  provider: string;
  model: string;
  asked_at: Instant;
  input_tokens: number;
  output_tokens: number;
  /** API cost in micro-dollars (1e-6 USD). */
  cost_micro_usd: number;
  text: string;
  job_id: number | null;
  /** job + query + provider, so a retried collection stores each answer once. */
  run_key: string | null;
  scored_at: Instant | null;
  sentiment_scored_at: Instant | null;
}
export type AnswerRow = Selectable<AnswerTable>;

export interface AnswerMentionTable {
  id: Generated<number>;
  answer_id: number;
  /** null: the brand itself. */
  competitor_id: number | null;
  name: string;
  mentioned: 0 | 1;
  position: number | null;
  position_kind: "list" | "mention" | null;
  first_offset: number | null;
  sentiment: number | null;
  sentiment_label: "positive" | "neutral" | "negative" | null;
  sentiment_scorer: string | null;
}

export interface AnswerCitationTable {
  id: Generated<number>;
  answer_id: number;
  url: string | null;
  domain: string;
  owner: "brand" | "competitor" | "other";
  competitor_id: number | null;
}
