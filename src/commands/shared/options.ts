import { checkOrgnr } from "../../core/domain/orgnr.ts";
import { UsageError } from "../../core/errors.ts";
import { parseDuration, parseInstantOption } from "../../core/time.ts";
import { parseJsonText } from "../../core/util/json-text.ts";

/** Parses a whole-number option; exit 2 with the option's name when it is not one. */
export function intOption(value: string | undefined, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
    throw new UsageError(
      `invalid ${name} "${value}": expected a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ` >= ${min}`}`,
    );
  }
  return n;
}

export function durationOption(value: string | undefined, name: string): number | undefined {
  return value === undefined ? undefined : parseDuration(value, name);
}

export function positiveId(value: string, what = "job id"): number {
  const id = intOption(value, what, 1);
  return id as number;
}

/** Parses an option given as JSON (`--payload`); exit 2 naming the option and where when it is not JSON. */
export function jsonOption(text: string, name: string): unknown {
  return parseJsonText(text, name);
}

/** An organisationsnummer argument, normalised to 10 digits; exit 2 saying what is wrong with it. */
export function orgnrArgument(text: string): string {
  const c = checkOrgnr(text);
  if (!c.ok) throw new UsageError(`invalid organisationsnummer: ${c.reason}`);
  return c.orgnr;
}

/** An instant given as an ISO time or as an age ("90d" = 90 days before now). */
export function sinceOption(text: string | undefined, name: string, now: number): number | undefined {
  if (text === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? parseInstantOption(text, name) : now - parseDuration(text, name);
}
