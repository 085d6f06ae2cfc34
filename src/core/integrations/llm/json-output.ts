import { answerProblems } from "./answer-schema.ts";
import type { ChatMessage, JsonSchemaSpec } from "./types.ts";

export type JsonCheck<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Reads the JSON of an answer: the whole text, or a ```json fenced block, or the outermost
 * {...} (models without a JSON mode like to add a sentence around it), then validates it.
 */
export function checkJsonAnswer<T>(text: string, spec: JsonSchemaSpec<T>): JsonCheck<T> {
  const candidates = [text.trim()];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fenced?.[1]) candidates.push(fenced[1].trim());
  const first = text.indexOf("{");
  const last = text.lastIndexOf("}");
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  let parsed: { value: unknown } | null = null;
  let parseError = "";
  for (const c of candidates) {
    try {
      parsed = { value: JSON.parse(c) };
      break;
    } catch (e) {
      parseError ||= (e as Error).message;
    }
  }
  if (!parsed) return { ok: false, reason: `the answer is not JSON (${parseError || "empty answer"})` };
  const checked = spec.zod.safeParse(parsed.value);
  if (checked.success) return { ok: true, value: checked.data };
  const problems = answerProblems(checked.error, parsed.value);
  return {
    ok: false,
    reason: `the JSON does not match the schema: ${problems.slice(0, 8).join("; ")}${problems.length > 8 ? `; and ${problems.length - 8} more` : ""}`,
  };
}

/** The instruction added when the provider does not enforce the schema itself. */
export function schemaInstruction(spec: JsonSchemaSpec): string {
  return `Reply with one JSON object only, no prose and no code fence, that matches this JSON Schema:\n${JSON.stringify(spec.schema)}`;
}

/** Adds the schema instruction to the system message (or adds one). */
export function withSchemaInstruction(messages: readonly ChatMessage[], spec: JsonSchemaSpec): ChatMessage[] {
  const instruction = schemaInstruction(spec);
  const i = messages.findIndex((m) => m.role === "system");
  if (i < 0) return [{ role: "system", content: instruction }, ...messages];
  return messages.map((m, k) => (k === i ? { ...m, content: `${m.content}\n\n${instruction}` } : m));
}

/** The one repair attempt: the bad answer, and what was wrong with it. */
export function repairMessages(messages: readonly ChatMessage[], badAnswer: string, reason: string, spec: JsonSchemaSpec): ChatMessage[] {
  return [
    ...messages,
    { role: "assistant", content: badAnswer.length > 4000 ? `${badAnswer.slice(0, 4000)}…` : badAnswer },
    {
      role: "user",
      content: `That answer cannot be used: ${reason}. Reply again with only the corrected JSON object matching the schema ${spec.name}.`,
    },
  ];
}
