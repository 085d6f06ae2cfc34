import { UsageError } from "../errors.ts";
import type { JobDefinition, ReferenceContext } from "./types.ts";

/** Validates a payload against its type's schema; one line naming each bad field. */
export function parsePayload<P>(def: JobDefinition<P>, raw: unknown, where = ""): P {
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
    throw new UsageError(`invalid payload for ${def.type}${where}: ${e.message}`, { code: "INVALID_PAYLOAD", ...(e.hint ? { hint: e.hint } : {}) });
  }
}
