import { userInfo } from "node:os";
import { UsageError } from "../../core/errors.ts";
import { parseDuration, parseInstantOption } from "../../core/time.ts";

/** `--as USER`, else the OS user: recorded on lead changes. */
export function actorOption(as: string | undefined): string {
  if (as !== undefined) {
    if (!/^[\w.@-]{1,64}$/.test(as)) throw new UsageError(`invalid --as "${as}": a user name (letters, digits, . _ - @)`);
    return as;
  }
  try {
    return userInfo().username || "unknown";
  } catch {
    return process.env.USER ?? "unknown";
  }
}

/** An instant given as an ISO time or as an age ("90d" = 90 days before now). */
export function sinceOption(text: string | undefined, name: string, now: number): number | undefined {
  if (text === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? parseInstantOption(text, name) : now - parseDuration(text, name);
}
