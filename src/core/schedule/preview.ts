import type { Config } from "../config.ts";
import type { FlatRateEstimate, JobDefinition } from "../jobs/types.ts";
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
  /** In the currency's minor unit, not rounded (to a millionth of the currency); null: unknown price. */
  perRunMinor: number | null;
  monthlyMinor: number | null;
  currency: string;
  basis: string;
  /** A flat price per unit (leads) from configuration, beside the token-based figure; null when the type has none. */
  flat: FlatMonthlyCost | null;
}

export interface FlatMonthlyCost {
  unit: string;
  perUnitMinor: number;
  unitsPerRun: number;
  perRunMinor: number;
  monthlyMinor: number;
  source: string;
}

/** A millionth of the currency: the precision of an estimate (a run may cost a fraction of a cent). */
const toMicroPrecision = (minor: number) => Math.round(minor * 10_000) / 10_000;

/**
 * What a schedule is expected to cost over the next 30 days, when its job type can say: runs ×
 * the exact cost of a run (rounded once, for display, never per run).
 */
export function estimateMonthlyCost(
  def: JobDefinition<unknown>,
  payload: unknown,
  timing: Timing,
  from: number,
  config: Config,
): MonthlyCost | null {
  if (!def.estimateRunCost) return null;
  const perRun = def.estimateRunCost(payload, config);
  const runs = firesBetween(timing, from, from + MONTH_MS, 1_000_000).length;
  const per = perRun.amountMinor === null ? null : toMicroPrecision(perRun.amountMinor);
  return {
    runsPerMonth: runs,
    perRunMinor: per,
    monthlyMinor: per === null ? null : toMicroPrecision(runs * per),
    currency: perRun.currency,
    basis: perRun.basis,
    flat: flatMonthly(perRun.flat, runs),
  };
}

function flatMonthly(flat: FlatRateEstimate | undefined, runs: number): FlatMonthlyCost | null {
  if (!flat) return null;
  const perRunMinor = toMicroPrecision(flat.perUnitMinor * flat.unitsPerRun);
  return { ...flat, perRunMinor, monthlyMinor: toMicroPrecision(runs * flat.perUnitMinor * flat.unitsPerRun) };
}

/** "12.50 USD"; below one unit with four decimals ("0.0016 USD"); "unknown price" for null. */
export function formatMinor(minor: number | null, currency: string): string {
  if (minor === null) return "unknown price";
  const amount = minor / 100;
  return `${amount !== 0 && Math.abs(amount) < 1 ? amount.toFixed(4) : amount.toFixed(2)} ${currency}`;
}
