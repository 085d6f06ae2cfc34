/**
 * Payload fields that name a terminal or a brand (by id, name or a unique prefix), per job type.
 * A rename rewrites them in schedules and waiting jobs; a removal is refused while one names it.
 * test/unit/named-references.test.ts checks each path against the type's payload schema.
 */
export const NAMED_REFERENCES = {
  terminal: {
    "leads.search": ["assign_to_terminal"],
    "leads.analyze": ["selector.terminal"],
    "leads.search_and_analyze": ["assign_to_terminal"],
    "web.batch": ["select.terminal"],
  },
  brand: {
    "brand.score": ["brand"],
    "brand.collect": ["brand"],
    "brand.collect_and_score": ["brand"],
    scoring: ["brand"],
    data_collection: ["brand"],
    data_collection_and_scoring: ["brand"],
  },
} as const satisfies Record<string, Record<string, readonly string[]>>;

export type NamedKind = keyof typeof NAMED_REFERENCES;

/** How a payload value names the thing: by its id (stays valid on a rename), by name or prefix, or not at all. */
export type Naming = "id" | "name" | null;

export interface NamedThing {
  kind: NamedKind;
  /** How a payload value refers to the thing. */
  naming(value: unknown): Naming;
}

/** The job types whose payloads can name a `kind`. */
export function typesNaming(kind: NamedKind): string[] {
  return Object.keys(NAMED_REFERENCES[kind]);
}

/** The value at a dotted path of a payload, or undefined. */
function valueAt(payload: unknown, path: string): unknown {
  let v: unknown = payload;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A stored payload's JSON text, parsed; undefined when there is none or it does not parse. */
function parsed(payloadJson: string | null): unknown {
  if (payloadJson === null) return undefined;
  try {
    return JSON.parse(payloadJson);
  } catch {
    return undefined;
  }
}

function fieldsNaming(type: string, payload: unknown, thing: NamedThing): Array<{ path: string; naming: "id" | "name" }> {
  const paths = (NAMED_REFERENCES[thing.kind] as Record<string, readonly string[]>)[type] ?? [];
  return paths.flatMap((path) => {
    const naming = thing.naming(valueAt(payload, path));
    return naming ? [{ path, naming }] : [];
  });
}

/** The fields of a payload (JSON text) that name the thing, each with how. */
export function namingFields(type: string, payloadJson: string | null, thing: NamedThing): Array<{ path: string; naming: "id" | "name" }> {
  return fieldsNaming(type, parsed(payloadJson), thing);
}

/**
 * The payload (JSON text) with every field that names the thing by name set to `to`; null when
 * nothing changes (no field, or only ids, which a rename keeps valid).
 */
export function renamedPayload(type: string, payloadJson: string | null, thing: NamedThing, to: string): string | null {
  const payload = parsed(payloadJson) as Record<string, unknown>;
  const fields = fieldsNaming(type, payload, thing).filter((f) => f.naming === "name");
  if (fields.length === 0) return null;
  for (const { path } of fields) {
    const keys = path.split(".");
    const last = keys.pop() as string;
    let o = payload;
    for (const k of keys) o = o[k] as Record<string, unknown>;
    o[last] = to;
  }
  return JSON.stringify(payload);
}
