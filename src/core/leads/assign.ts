import type { RuleKind } from "./schema.ts";
import { UsageError } from "../errors.ts";
import { fold } from "../companies/text.ts";

/** A terminal assignment rule, as evaluated (see terminals.ts for storage). */
export interface AssignmentRule {
  id: number;
  terminalId: number;
  kind: RuleKind;
  value: string;
  postcodeFrom: number | null;
  postcodeTo: number | null;
}

export interface AssignableCompany {
  town: string | null;
  municipality: string | null;
  postcode: string | null;
  sniCodes: readonly string[];
}

export interface Assignment {
  terminalId: number;
  /** The rule that matched; null when the default terminal took it. */
  ruleId: number | null;
  reason: string;
}

/**
 * The terminal a company's lead goes to: the first rule (in order) that matches, else the
 * default terminal, else none. Towns and municipalities compare without case or diacritics.
 */
export function matchTerminal(rules: readonly AssignmentRule[], defaultTerminalId: number | null, c: AssignableCompany): Assignment | null {
  const postcode = c.postcode ? Number(c.postcode.replace(/\s/g, "")) : NaN;
  for (const r of rules) {
    let hit = false;
    switch (r.kind) {
      case "town":
        hit = c.town !== null && fold(c.town) === fold(r.value);
        break;
      case "municipality":
        hit = c.municipality !== null && fold(c.municipality) === fold(r.value);
        break;
      case "postcode":
        hit =
          Number.isInteger(postcode) &&
          r.postcodeFrom !== null &&
          r.postcodeTo !== null &&
          postcode >= r.postcodeFrom &&
          postcode <= r.postcodeTo;
        break;
      case "sni":
        hit = c.sniCodes.some((code) => code.startsWith(r.value));
        break;
    }
    if (hit) return { terminalId: r.terminalId, ruleId: r.id, reason: `rule ${r.id}: ${describeRule(r)}` };
  }
  return defaultTerminalId === null ? null : { terminalId: defaultTerminalId, ruleId: null, reason: "default terminal" };
}

export function describeRule(r: Pick<AssignmentRule, "kind" | "value">): string {
  switch (r.kind) {
    case "town":
      return `town ${r.value}`;
    case "municipality":
      return `municipality ${r.value}`;
    case "postcode":
      return `postcode ${r.value}`;
    case "sni":
      return `SNI ${r.value}*`;
  }
}

/**
 * A postcode range: "100 00-199 99", "10000-19999", or prefixes "100-199" (10000-19999) and
 * "113" (11300-11399). Returns the inclusive numeric bounds and the normalised text.
 */
export function parsePostcodeRange(input: string): { from: number; to: number; text: string } {
  const parts = input.replace(/\s/g, "").split("-");
  if (parts.length > 2 || parts.some((p) => !/^\d{1,5}$/.test(p))) {
    throw new UsageError(`invalid postcode range "${input}": write it like 10000-19999, 100-199 or 113`);
  }
  const [a = "", b = a] = parts;
  const from = Number(a.padEnd(5, "0"));
  const to = Number(b.padEnd(5, "9"));
  if (from > to) throw new UsageError(`invalid postcode range "${input}": ${from} is after ${to}`);
  const fmt = (n: number) =>
    String(n)
      .padStart(5, "0")
      .replace(/^(\d{3})(\d{2})$/, "$1 $2");
  return { from, to, text: `${fmt(from)}-${fmt(to)}` };
}
