import type { MisfirePolicy } from "../db/schema-schedules.ts";
import { formatDuration, toInstant } from "../time.ts";

export interface MisfireSettings {
  policy: MisfirePolicy;
  /** skip: fires later than this are dropped. */
  graceMs: number;
  /** all: at most this many fires run at once (the latest ones). */
  cap: number;
}

export interface MissedFire {
  at: number;
  reason: string;
}

/** What a tick does with the fires that came due since the last one. */
export interface FirePlan {
  /** Fires to run now, oldest first. */
  run: number[];
  missed: MissedFire[];
}

/**
 * Applies a misfire policy to the due fires (ascending, all <= now):
 * - coalesce: any number of due fires run once, as the latest; the others are missed (as anacron);
 * - skip: fires still within the grace window run; older ones are missed;
 * - all: every due fire runs, the latest `cap` of them; older ones are missed.
 */
export function planFires(fires: readonly number[], now: number, s: MisfireSettings): FirePlan {
  if (fires.length === 0) return { run: [], missed: [] };
  switch (s.policy) {
    case "coalesce": {
      const last = fires[fires.length - 1] as number;
      const reason = `coalesced into the run for ${toInstant(last)}`;
      return { run: [last], missed: fires.slice(0, -1).map((at) => ({ at, reason })) };
    }
    case "skip": {
      const reason = `later than the ${formatDuration(s.graceMs)} grace window`;
      return {
        run: fires.filter((f) => now - f <= s.graceMs),
        missed: fires.filter((f) => now - f > s.graceMs).map((at) => ({ at, reason })),
      };
    }
    case "all": {
      const cut = Math.max(0, fires.length - s.cap);
      const reason = `over the catch-up cap of ${s.cap}`;
      return { run: fires.slice(cut), missed: fires.slice(0, cut).map((at) => ({ at, reason })) };
    }
  }
}
