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

/**
 * The dedupe key a job of `def` with `payload` carries: the type's own (see JobDefinition.dedupeKey), else
 * `given`. A given key other than the type's own is refused rather than dropped without a word.
 */
export function dedupeKeyOf<P>(def: JobDefinition<P>, payload: P, given: string | null | undefined): string | null {
  const own = def.dedupeKey?.(payload);
  if (own === undefined) return given ?? null;
  if (given != null && given !== own) {
    throw new UsageError(`dedupe key "${given}": ${def.type} jobs carry their own, "${own}" for this payload`, {
      hint: "leave out --dedupe-key",
    });
  }
  return own;
}

/** The batch a job of `def` with `payload` is attached to: the one its payload names (see JobDefinition.batchOf), else `given`. */
export function batchIdOf<P>(def: JobDefinition<P>, payload: P, given: number | null | undefined): number | null {
  return def.batchOf?.(payload) ?? given ?? null;
}

/**
 * Refuses a dedupe key given for a job of `def` (`jobs add --dedupe-key`) in the form `TYPE:…` of
 * another type that declares its own keys (JobDefinition.dedupeKey): that type owns them, and a
 * job of another type holding one would keep that type's job from being enqueued.
 */
export async function checkGivenDedupeKey(
  def: JobDefinition<unknown>,
  key: string,
  typeNamed: (type: string) => Promise<JobDefinition<unknown> | undefined>,
): Promise<void> {
  const colon = key.indexOf(":");
  if (colon <= 0) return;
  const owner = key.slice(0, colon);
  if (owner === def.type || !(await typeNamed(owner))?.dedupeKey) return;
  throw new UsageError(`dedupe key "${key}" is ${owner}'s: keys ${owner}:… belong to ${owner} jobs`, { hint: "choose another key" });
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
 * Checks the references of many payloads, each distinct payload once (a file of 10,000 lines often names
 * the same few terminals); `where(i)` names payload i in the message. A type without references costs nothing.
 */
export async function checkReferencesOfEach<P>(
  def: JobDefinition<P>,
  payloads: readonly P[],
  ctx: ReferenceContext,
  where: (i: number) => string,
): Promise<void> {
  if (!def.checkReferences) return;
  const checked = new Set<string>();
  for (const [i, payload] of payloads.entries()) {
    const key = JSON.stringify(payload);
    if (checked.has(key)) continue;
    checked.add(key);
    await checkReferences(def, payload, ctx, where(i));
  }
}

/**
 * Refuses an oversized payload before it is validated, stored or quoted: a 50 MB brand name
 * must not reach the database, stderr or an error message (which quote a short prefix only).
 */
function checkLimits(def: JobDefinition<unknown>, raw: unknown, where: string): void {
  const maxString = def.limits?.stringLength ?? MAX_PAYLOAD_STRING;
  const found: Found = { long: null };
  const bound = scan(raw, maxString, found);
  if (found.long) {
    const { path, text } = found.long;
    throw new UsageError(
      `invalid payload for ${def.type}${where}: ${path.length > 0 ? path.join(".") : "payload"}: ${text.length} characters is too long (at most ${maxString}): "${text.slice(0, QUOTED)}…"`,
      { code: "INVALID_PAYLOAD" },
    );
  }
  const maxBytes = def.limits?.payloadBytes ?? MAX_PAYLOAD_BYTES;
  if (bound <= maxBytes) return;
  const bytes = Buffer.byteLength(JSON.stringify(raw) ?? "");
  if (bytes > maxBytes) {
    throw new UsageError(`invalid payload for ${def.type}${where}: ${bytes} bytes of JSON is too large (at most ${maxBytes})`, {
      code: "INVALID_PAYLOAD",
    });
  }
}

interface Found {
  /** The first string (value or key) longer than the limit, and where it is. */
  long: { path: Array<string | number>; text: string } | null;
}

/**
 * Walks a payload once, without allocating (`jobs add --from` checks every line of a file of
 * thousands): sets `found.long` at the first string or key longer than `max` (the path is built
 * only for it), and returns an upper bound of the UTF-8 bytes of its JSON, Infinity where
 * JSON.stringify may render a value otherwise (toJSON, a class instance, a bigint), so that only
 * a payload near the byte limit is stringified to count exactly.
 */
function scan(v: unknown, max: number, found: Found): number {
  switch (typeof v) {
    case "string":
      if (v.length > max) found.long = { path: [], text: v };
      return 6 * v.length + 2; // a UTF-16 code unit is at most 6 bytes of JSON (\u001f)
    case "number":
      return 25; // -1.7976931348623157e+308
    case "boolean":
      return 5;
    case "bigint":
      return Number.POSITIVE_INFINITY;
    case "object":
      break;
    default:
      return 4; // null in an array, or left out
  }
  if (v === null) return 4;
  const proto = Object.getPrototypeOf(v);
  const plain =
    typeof (v as { toJSON?: unknown }).toJSON !== "function" && (proto === Object.prototype || proto === null || proto === Array.prototype);
  let bytes = plain ? 2 : Number.POSITIVE_INFINITY;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      bytes += scan(v[i], max, found) + 1;
      if (found.long) {
        found.long.path.unshift(i);
        return bytes;
      }
    }
    return bytes;
  }
  const record = v as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    if (k.length > max) {
      found.long = { path: [], text: k };
      return bytes;
    }
    bytes += 6 * k.length + 4 + scan(record[k], max, found);
    if (found.long) {
      found.long.path.unshift(k);
      return bytes;
    }
  }
  return bytes;
}
