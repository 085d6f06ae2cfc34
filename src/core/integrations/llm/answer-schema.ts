import * as z from "zod";
import type { JsonSchemaSpec } from "./types.ts";

/**
 * An answer declared once with zod 4: the JSON Schema sent to providers is derived from it
 * (`z.toJSONSchema`; a strict object gives `additionalProperties: false` and every property
 * required, as OpenAI's strict mode wants), the answer is checked with `safeParse`, and its
 * TypeScript type is the schema's output type.
 */
export function answerSpec<T>(name: string, schema: z.ZodType<T>): JsonSchemaSpec<T> {
  const { $schema: _, ...json } = z.toJSONSchema(schema) as Record<string, unknown>;
  return { name, schema: json, zod: schema };
}

/** What is wrong with an answer (`value`), one line per problem with its path ($.results[0].fit_score: …). */
export function answerProblems(error: z.ZodError, value: unknown): string[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.reduce<string>((p, k) => (typeof k === "number" ? `${p}[${k}]` : `${p}.${String(k)}`), "$");
    if (issue.code === "unrecognized_keys") return issue.keys.map((k) => `${path}.${k}: not allowed`);
    if (issue.code === "invalid_type" && !present(value, issue.path)) return [`${path}: missing`];
    return [`${path}: ${issue.message}`];
  });
}

function present(value: unknown, path: readonly PropertyKey[]): boolean {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== "object" || !(k in v)) return false;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return true;
}
