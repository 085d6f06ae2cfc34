import type { Command } from "commander";
import type { Writable } from "node:stream";
import { UsageError } from "../../core/errors.ts";
import type { Page } from "../../core/util/paging.ts";
import { intOption } from "./options.ts";
import { printLine } from "./output.ts";

/** The paging flags every list takes. */
export interface PagingFlags {
  limit?: string;
  offset?: string;
  all?: boolean;
}

/**
 * Adds --limit, --offset and --all to a list command. `defaultLimit` null: the list shows every
 * item unless --limit is given. `all` replaces --all's help where a list gives it more meaning.
 */
export function pagingOptions(cmd: Command, what: string, defaultLimit: number | null, all?: string): Command {
  return cmd
    .option("--limit <n>", `at most n ${what} (default ${defaultLimit ?? "all"})`)
    .option("--offset <n>", `skip the first n ${what} (paging)`)
    .option("--all", all ?? "all of them: no limit");
}

/** The page the flags ask for; --all with --limit is a contradiction (exit 2). */
export function pageOption(o: PagingFlags, defaultLimit: number | null, maxLimit = 1_000_000): Page {
  if (o.all && o.limit !== undefined) throw new UsageError("use either --limit or --all, not both");
  const offset = intOption(o.offset, "--offset", 0) ?? 0;
  const limit = o.all ? null : (intOption(o.limit, "--limit", 1, maxLimit) ?? defaultLimit);
  return { limit, offset };
}

/** What every list's --json adds beside its items: how many it holds (`count`), how many match in all, and the page shown. */
export function pageJson(page: Page, total: number, count: number): { count: number; total: number; limit: number | null; offset: number } {
  return { count, total, limit: page.limit, offset: page.offset };
}

/** Items after the page shown (0 when the page reached the end). */
export function moreAfter(page: Page, total: number, shown: number): number {
  return Math.max(0, total - page.offset - shown);
}

/** What an empty page says when the list is not empty: "no fires at offset 5 (1 in all)"; null otherwise. */
export function pastTheEnd(page: Page, total: number, what: string): string | null {
  return total > 0 && page.offset >= total ? `no ${what} at offset ${page.offset} (${total} in all)` : null;
}

/**
 * The footer of a list that was cut: one line on stdout, after the table. A cut list is not an
 * error, and under cron stderr is what gets mailed.
 */
export function printMore(page: Page, total: number, shown: number, o: { atLeast?: boolean; out?: Writable } = {}): void {
  const more = moreAfter(page, total, shown);
  if (more > 0) printLine(`${more}${o.atLeast ? "+" : ""} more — use --limit/--offset/--all`, o.out);
}
