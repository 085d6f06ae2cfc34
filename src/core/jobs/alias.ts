import type { JobDefinition } from "./types.ts";

/** A job type under another name (the seed spec's), sharing the definition; `type` is the name it is loaded under. */
export function aliasOf<P, R>(type: string, def: JobDefinition<P, R>): JobDefinition<P, R> {
  return { ...def, type, summary: `the seed spec's name for ${def.type}: ${def.summary}` };
}
