import * as z from "zod";
import { plural } from "../util/plural.ts";

type Schema = z.core.JSONSchema.JSONSchema;

/** One field of a job type's payload, read from its zod schema (so the list cannot drift from the code). */
export interface PayloadField {
  /** Dotted inside an object field: `selector.limit`. */
  name: string;
  /** `integer 10..500`, `string|string[]`, `quick|batch|deep`, `object`… */
  type: string;
  /** Must be given (no default, not optional). */
  required: boolean;
  /** The value taken when the field is left out; absent when there is none. */
  default?: unknown;
  description: string | null;
}

/**
 * The fields of each shape a payload may take: one list for most types, one per alternative
 * for a union (`web.batch`: an existing batch, or a selection). Fields of object fields follow
 * their parent, dotted.
 */
export function payloadForms(schema: z.ZodType): PayloadField[][] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  const alternatives = json.anyOf?.every(isObject) ? json.anyOf : [json];
  return alternatives.map((s) => (isObject(s) ? objectFields(s, "") : []));
}

function isObject(s: Schema | boolean): s is Schema {
  return typeof s === "object" && s.type === "object";
}

function objectFields(s: Schema, prefix: string): PayloadField[] {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).flatMap(([key, raw]) => {
    if (typeof raw === "boolean") return [];
    const name = `${prefix}${key}`;
    const field: PayloadField = {
      name,
      type: typeName(raw),
      required: required.has(key) && raw.default === undefined,
      description: raw.description ?? null,
    };
    if (raw.default !== undefined) field.default = raw.default;
    return [field, ...(isObject(raw) ? objectFields(raw, `${name}.`) : [])];
  });
}

/** The type of a field, with its range (`integer 10..500`) unless it is an array's element. */
function typeName(s: Schema | boolean, withRange = true): string {
  if (typeof s === "boolean") return "any";
  if (s.enum) return s.enum.map(String).join("|");
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map((a) => typeName(a, withRange)).join("|");
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length === 0) return "any";
  return types.map((t) => (t === "array" ? arrayName(s) : `${t}${withRange ? range(s) : ""}`)).join("|");
}

function arrayName(s: Schema): string {
  const item = Array.isArray(s.items) || s.items === undefined || typeof s.items === "boolean" ? "any" : typeName(s.items, false);
  const list = `${item.includes("|") ? `(${item})` : item}[]`;
  const { minItems: min, maxItems: max } = s;
  if (max !== undefined) return `${list}, ${min ? `${min}..${max}` : `at most ${max}`} items`;
  return min ? `${list}, at least ${plural(min, "item")}` : list;
}

function range(s: Schema): string {
  // zod writes the safe-integer bounds of an int without limits: not a limit worth showing
  let min: number | string | undefined = s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER ? s.minimum : undefined;
  if (typeof s.exclusiveMinimum === "number") min = s.type === "integer" ? s.exclusiveMinimum + 1 : `>${s.exclusiveMinimum}`;
  const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
  if (min === undefined && max === undefined) return "";
  return ` ${min ?? ""}..${max ?? ""}`;
}
