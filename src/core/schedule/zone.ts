import { UsageError } from "../errors.ts";

/** A change of a zone's UTC offset: from `at` on, wall time is UTC + `after` instead of UTC + `before`. */
export interface Transition {
  at: number;
  before: number;
  after: number;
}

interface Block {
  startOffset: number;
  /** Transitions in (start, start + BLOCK_MS], ascending. */
  transitions: Transition[];
}

const HOUR = 3_600_000;
const BLOCK_MS = 32 * 24 * HOUR;
/** Offsets are sampled this often; two transitions closer than this would be missed (none exist in tzdata since 1970). */
const PROBE_MS = 12 * HOUR;

/**
 * A time zone's UTC offsets over time, read from Intl.DateTimeFormat (the ICU copy of tzdata
 * that ships with Node) and cached in 32-day blocks, so converting between wall time and
 * instants costs no Intl call once a block is known.
 */
export class ZoneRules {
  readonly name: string;
  private readonly format: Intl.DateTimeFormat;
  private readonly blocks = new Map<number, Block>();

  constructor(name: string, format: Intl.DateTimeFormat) {
    this.name = name;
    this.format = format;
  }

  /** Wall time minus UTC, in ms, at instant `t`. */
  offsetAt(t: number): number {
    const start = blockStart(t);
    const block = this.block(start);
    let offset = block.startOffset;
    for (const tr of block.transitions) {
      if (tr.at <= t) offset = tr.after;
      else break;
    }
    return offset;
  }

  /** The first transition after `t`, looking no further than `t + horizon`. */
  nextTransition(t: number, horizon: number): Transition | null {
    for (let start = blockStart(t); start <= t + horizon; start += BLOCK_MS) {
      for (const tr of this.block(start).transitions) if (tr.at > t) return tr.at <= t + horizon ? tr : null;
    }
    return null;
  }

  /** The last transition at or before `t`, looking no further back than `t - horizon`. */
  previousTransition(t: number, horizon: number): Transition | null {
    for (let start = blockStart(t); start + BLOCK_MS > t - horizon; start -= BLOCK_MS) {
      const list = this.block(start).transitions;
      for (let i = list.length - 1; i >= 0; i--) {
        const tr = list[i] as Transition;
        if (tr.at <= t) return tr.at >= t - horizon ? tr : null;
      }
    }
    return null;
  }

  private block(start: number): Block {
    let block = this.blocks.get(start);
    if (block) return block;
    const transitions: Transition[] = [];
    const startOffset = this.intlOffset(start);
    let prevT = start;
    let prevOffset = startOffset;
    for (let t = start + PROBE_MS; t <= start + BLOCK_MS; t += PROBE_MS) {
      const offset = this.intlOffset(t);
      if (offset !== prevOffset) transitions.push({ at: this.findChange(prevT, t, prevOffset), before: prevOffset, after: offset });
      prevT = t;
      prevOffset = offset;
    }
    block = { startOffset, transitions };
    this.blocks.set(start, block);
    return block;
  }

  /** Binary search, to the second, for the instant in (lo, hi] where the offset stops being `old`. */
  private findChange(lo: number, hi: number, old: number): number {
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (this.intlOffset(mid) === old) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  private intlOffset(t: number): number {
    const whole = Math.floor(t / 1000) * 1000;
    const f: Record<string, number> = {};
    for (const p of this.format.formatToParts(whole)) if (p.type !== "literal") f[p.type] = Number(p.value);
    const wall = Date.UTC(f.year as number, (f.month as number) - 1, f.day, f.hour === 24 ? 0 : f.hour, f.minute, f.second);
    return wall - whole;
  }
}

function blockStart(t: number): number {
  return Math.floor(t / BLOCK_MS) * BLOCK_MS;
}

const zones = new Map<string, ZoneRules>();
/** IANA names (Europe/Stockholm, UTC, Japan); not offsets such as +01:00, which have no DST rules. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** The rules of an IANA time zone; an unknown zone is a UsageError. */
export function zoneRules(name: string): ZoneRules {
  const cached = zones.get(name);
  if (cached) return cached;
  let format: Intl.DateTimeFormat;
  try {
    if (!ZONE_NAME.test(name)) throw new RangeError("not an IANA name");
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    throw new UsageError(`unknown time zone "${name}" (use an IANA name such as Europe/Stockholm or UTC)`);
  }
  const rules = new ZoneRules(format.resolvedOptions().timeZone, format);
  zones.set(name, rules);
  return rules;
}

/**
 * The zone as given, spelled as IANA does when ICU knows that spelling (`europe/stockholm` →
 * `Europe/Stockholm`); unknown → UsageError. ICU resolves a name to its own canonical one, for
 * renamed zones the old name (`Europe/Kyiv` → `Europe/Kiev`), so only a change of case is taken.
 */
export function canonicalZone(name: string): string {
  const resolved = zoneRules(name).name;
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}
