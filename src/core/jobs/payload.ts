import { UsageError } from "../errors.ts";
import type { JobDefinition, ReferenceContext } from "./types.ts";

/** Default limits of a payload (a type may set its own): its JSON size, and the length of any one string in it. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const MAX_PAYLOAD_STRING = 2048;
/** How much of an oversized value an error message quotes. */
const QUOTED = 40;

/** Validates a payload against its type's limits and schema; one line naming each bad field. */
export function parsePayload<P>(def: JobDefinition<P>, raw: unknown, where = ""): P {
  checkLimits(def, raw, where);
  const parsed = def.payload.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "payload"}: ${i.message}`);
  throw new UsageError(`invalid payload for ${def.type}${where}: ${problems.join("; ")}`, { code: "INVALID_PAYLOAD" });
}

/** Checks a valid payload's references (terminal, brand, provider, model); one line naming the type. */
export async function checkReferences<P>(def: JobDefinition<P>, payload: P, ctx: ReferenceContext, where = ""): Promise<void> {
  if (!def.checkReferences) return;
  try {
    await def.checkReferences(payload, ctx);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    throw new UsageError(`invalid payload for ${def.type}${where}: ${e.message}`, {
      code: "INVALID_PAYLOAD",
      ...(e.hint ? { hint: e.hint } : {}),
    });
  }
}

/**
 * Refuses an oversized payload before it is validated, stored or quoted: a 50 MB brand name
 * must not reach the database, stderr or an error message (which quote a short prefix only).
 */
function checkLimits(def: JobDefinition<unknown>, raw: unknown, where: string): void {
  const maxString = def.limits?.stringLength ?? MAX_PAYLOAD_STRING;
  const json = JSON.stringify(raw) ?? "";
  // Every string and key is in the JSON at full length or longer: a short JSON has no long one.
  const long = json.length > maxString ? longString(raw, maxString) : null;
  if (long) {
    const field = long.path.length > 0 ? long.path.join(".") : "payload";
    throw new UsageError(
      `invalid payload for ${def.type}${where}: ${field}: ${long.text.length} characters is too long (at most ${maxString}): "${long.text.slice(0, QUOTED)}…"`,
      { code: "INVALID_PAYLOAD" },
    );
  }
  const maxBytes = def.limits?.payloadBytes ?? MAX_PAYLOAD_BYTES;
  // A UTF-16 code unit takes at most 3 bytes of UTF-8: only a longer JSON needs counting.
  if (json.length * 3 <= maxBytes) return;
  const bytes = Buffer.byteLength(json);
  if (bytes > maxBytes) {
    throw new UsageError(`invalid payload for ${def.type}${where}: ${bytes} bytes of JSON is too large (at most ${maxBytes})`, {
      code: "INVALID_PAYLOAD",
    });
  }
}

/**
 * The first string (value or key) longer than `max`, with where it is. The path is built only
 * for the string found: `jobs add --from` checks every line of a file of thousands.
 */
function longString(v: unknown, max: number): { path: Array<string | number>; text: string } | null {
  if (typeof v === "string") return v.length > max ? { path: [], text: v } : null;
  if (typeof v !== "object" || v === null) return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = longString(v[i], max);
      if (found) {
        found.path.unshift(i);
        return found;
      }
    }
    return null;
  }
  const record = v as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    if (k.length > max) return { path: [], text: k };
    const found = longString(record[k], max);
    if (found) {
      found.path.unshift(k);
      return found;
    }
  }
  return null;
}
