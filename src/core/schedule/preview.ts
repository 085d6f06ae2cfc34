import type { JobDefinition } from "../jobs/types.ts";
import { nextMatchingWall, firesBetween, nextFires, type Timing } from "./fire-times.ts";

const MINUTE = 60_000;
const MONTH_MS = 30 * 86_400_000;

export interface PreviewFire {
  at: number;
  /** The scheduled wall time does not exist that day (spring-forward gap): the run moved to the end of the gap. */
  movedByDst: boolean;
}

/** The next `count` fires, each marked when the DST policy moved it. */
export function previewFires(timing: Timing, from: number, count: number): PreviewFire[] {
  return nextFires(timing, from, count).map((at) => {
    const wall = Math.floor((at + timing.zone.offsetAt(at)) / MINUTE) * MINUTE;
    return { at, movedByDst: nextMatchingWall(timing.cron, wall) !== wall };
  });
}

export interface MonthlyCost {
  runsPerMonth: number;
  perRunMinor: number;
  monthlyMinor: number;
  currency: string;
  basis: string;
}

/** What a schedule is expected to cost over the next 30 days, when its job type can say. */
export function estimateMonthlyCost(def: JobDefinition<unknown>, payload: unknown, timing: Timing, from: number): MonthlyCost | null {
  if (!def.estimateRunCost) return null;
  const perRun = def.estimateRunCost(payload);
  const runs = firesBetween(timing, from, from + MONTH_MS, 1_000_000).length;
  return { runsPerMonth: runs, perRunMinor: perRun.amountMinor, monthlyMinor: runs * perRun.amountMinor, currency: perRun.currency, basis: perRun.basis };
}
