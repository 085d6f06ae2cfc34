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
  const long = longString(raw, maxString, []);
  if (long) {
    const field = long.path.length > 0 ? long.path.join(".") : "payload";
    throw new UsageError(
      `invalid payload for ${def.type}${where}: ${field}: ${long.text.length} characters is too long (at most ${maxString}): "${long.text.slice(0, QUOTED)}…"`,
      { code: "INVALID_PAYLOAD" },
    );
  }
  const maxBytes = def.limits?.payloadBytes ?? MAX_PAYLOAD_BYTES;
  const bytes = Buffer.byteLength(JSON.stringify(raw) ?? "");
  if (bytes > maxBytes) {
    throw new UsageError(`invalid payload for ${def.type}${where}: ${bytes} bytes of JSON is too large (at most ${maxBytes})`, {
      code: "INVALID_PAYLOAD",
    });
  }
}

/** The first string (value or key) longer than `max`, with where it is. */
function longString(v: unknown, max: number, path: Array<string | number>): { path: Array<string | number>; text: string } | null {
  if (typeof v === "string") return v.length > max ? { path, text: v } : null;
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      const found = longString(x, max, [...path, i]);
      if (found) return found;
    }
  } else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (k.length > max) return { path, text: k };
      const found = longString(x, max, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}
