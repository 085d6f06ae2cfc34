import { UsageError } from "../errors.ts";
import { formatDuration, parseDuration } from "../time.ts";

/** A band of ranks and how often companies in it are refreshed. */
export interface RankBand {
  min: number;
  max: number;
  intervalMs: number;
}

/**
 * Parses the `refreshBands` setting, e.g. "81-100:1d,61-80:2d,31-60:3d,11-30:4d,1-10:5d".
 * The bands must cover ranks 1-100 exactly once. Returned highest ranks first.
 */
export function parseRankBands(text: string, source = "refreshBands"): RankBand[] {
  const bands: RankBand[] = [];
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d+)-(\d+):(.+)$/.exec(part);
    if (!m) throw new UsageError(`invalid ${source} "${text}": "${part}" is not MIN-MAX:INTERVAL (e.g. 81-100:1d)`);
    const min = Number(m[1]);
    const max = Number(m[2]);
    if (min < 1 || max > 100 || min > max) throw new UsageError(`invalid ${source} "${text}": ranks ${min}-${max} are not within 1-100`);
    const intervalMs = parseDuration(m[3] as string, `${source} interval of ${min}-${max}`);
    if (intervalMs <= 0) throw new UsageError(`invalid ${source} "${text}": the interval of ${min}-${max} must be positive`);
    bands.push({ min, max, intervalMs });
  }
  for (let rank = 1; rank <= 100; rank++) {
    const n = bands.filter((b) => rank >= b.min && rank <= b.max).length;
    if (n !== 1)
      throw new UsageError(`invalid ${source} "${text}": rank ${rank} is in ${n} bands (every rank 1-100 must be in exactly one)`);
  }
  return bands.sort((a, b) => b.min - a.min);
}

/** How often a company whose highest rank is `rank` is refreshed. */
export function refreshInterval(bands: readonly RankBand[], rank: number): number {
  const band = bands.find((b) => rank >= b.min && rank <= b.max);
  if (!band) throw new UsageError(`rank ${rank} is not in any refresh band`);
  return band.intervalMs;
}

export function describeBand(b: RankBand): string {
  return `${b.min}-${b.max}: every ${formatDuration(b.intervalMs)}`;
}
