import type { MisfirePolicy } from "./schema.ts";
import { formatDuration, toInstant } from "../time.ts";

export interface MisfireSettings {
  policy: MisfirePolicy;
  /** skip: fires later than this are dropped. */
  graceMs: number;
  /** all: at most this many fires run at once (the latest ones). */
  cap: number;
}

/** What a tick does with the fires that came due since the last one. */
export interface FirePlan {
  /** Fires to run now, oldest first. */
  run: number[];
  /**
   * Fires recorded as missed, oldest first: with every policy the older part of the due fires
   * (a machine off for months can leave hundreds of thousands, so they stay plain instants).
   */
  missed: number[];
  /** Why the missed fires were missed; null when none was. */
  reason: string | null;
}

/**
 * Applies a misfire policy to the due fires (ascending, all <= now):
 * - coalesce: any number of due fires run once, as the latest; the others are missed (as anacron);
 * - skip: fires still within the grace window run; older ones are missed;
 * - all: every due fire runs, the latest `cap` of them; older ones are missed.
 */
export function planFires(fires: readonly number[], now: number, s: MisfireSettings): FirePlan {
  const cut = firstRun(fires, now, s);
  const missed = fires.slice(0, cut);
  return { run: fires.slice(cut), missed, reason: missed.length === 0 ? null : reasonFor(fires, s) };
}

/** Index of the first fire that runs: the ones before it are missed. */
function firstRun(fires: readonly number[], now: number, s: MisfireSettings): number {
  switch (s.policy) {
    case "coalesce":
      return Math.max(0, fires.length - 1);
    case "skip": {
      const i = fires.findIndex((f) => now - f <= s.graceMs);
      return i < 0 ? fires.length : i;
    }
    case "all":
      return Math.max(0, fires.length - s.cap);
  }
}

function reasonFor(fires: readonly number[], s: MisfireSettings): string {
  switch (s.policy) {
    case "coalesce":
      return `coalesced into the run for ${toInstant(fires[fires.length - 1] as number)}`;
    case "skip":
      return `later than the ${formatDuration(s.graceMs)} grace window`;
    case "all":
      return `over the catch-up cap of ${s.cap}`;
  }
}
