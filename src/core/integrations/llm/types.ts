/**
 * The LLM provider layer: one small interface over local and hosted chat models, shared by
 * lead analysis and brand visibility. A provider answers `chat()`; structured output, JSON
 * validation with one repair attempt, retries with backoff (Retry-After honoured) and usage
 * accounting are done here once, for every provider.
 */
import type { ZodType } from "zod";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/**
 * The schema an answer must satisfy, declared with zod (see answerSpec in answer-schema.ts).
 * Strict-mode friendly: every property required, no extra properties.
 */
export interface JsonSchemaSpec<T = unknown> {
  /** A short identifier (OpenAI's json_schema.name): letters, digits, _ and -. */
  name: string;
  /** The JSON Schema sent to the provider, derived from `zod`. */
  schema: Record<string, unknown>;
  /** Checks the answer (safeParse) and gives its type. */
  zod: ZodType<T>;
}

export interface ChatRequest<T = unknown> {
  model: string;
  messages: ChatMessage[];
  /** Ask for (and validate) JSON matching this schema; `json` of the result is then set. */
  jsonSchema?: JsonSchemaSpec<T> | undefined;
  /** Cap on the answer's tokens. */
  maxOutputTokens?: number | undefined;
  /** Left to the provider when unset (some models accept only their default). */
  temperature?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
}

/** How the provider was asked for JSON: a schema it enforces, its JSON mode, or only the prompt. */
export type StructuredMode = "json_schema" | "json_object" | "prompt";

export interface ChatResult<T = unknown> {
  text: string;
  /** The parsed and validated JSON, when the request had a jsonSchema. */
  json?: T;
  /** Summed over every call this answer took (a repair attempt included). */
  usage: ChatUsage;
  /** The model that answered, as the provider reports it. */
  model: string;
  provider: string;
  /** HTTP calls made, retries and the repair included. */
  calls: number;
  structured?: StructuredMode;
  /** The first answer failed validation and the repair attempt succeeded. */
  repaired: boolean;
}

export interface LlmProvider {
  readonly name: string;
  /** The model used when a job names none. */
  readonly defaultModel: string;
  /** Costs nothing (local or offline): cost accounting and budgets skip it. */
  readonly free: boolean;
  chat<T>(request: ChatRequest<T>): Promise<ChatResult<T>>;
}
