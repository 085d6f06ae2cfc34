import { formatOrgnr } from "../core/domain/orgnr.ts";
import { parseRankBands } from "../core/tracking/rank-cadence.ts";
import { latestHiring, type HiringSignal } from "../core/hiring/store.ts";
import { listTracked } from "../core/tracking/tracking.ts";
import { formatDuration, formatRelative } from "../core/time.ts";
import { loadConfig, openContextWith, type GlobalOptions, type CommandContext } from "./shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "./shared/paging.ts";
import type { Page } from "../core/util/paging.ts";
import { printJson, printLine, printTable, truncate } from "./shared/output.ts";
import { keywordMatches } from "../core/hiring/matches.ts";
import { ExitCode } from "../core/errors.ts";

export interface TrackedOptions extends PagingFlags {
  as?: string;
  now?: string;
  matches?: boolean;
  json?: boolean;
}

/** `leadjobs tracked`: tracked companies (one user's with --as), highest rank first, with their refresh cadence. */
export async function trackedCommand(g: GlobalOptions, o: TrackedOptions): Promise<number> {
  const page = pageOption(o, 100);
  const config = loadConfig(g);
  const bands = parseRankBands(config.refreshBands);
  const ctx = await openContextWith(g, config, { now: o.now, readOnly: true });
  try {
    if (o.matches) {
      await printKeywordMatches(ctx, { as: o.as, page, json: o.json });
      return ExitCode.Ok;
    }
    const now = ctx.clock();
    const list = await listTracked(ctx.db, { username: o.as, ...page, now, bands });
    const hiring = await latestHiring(
      ctx.db,
      list.companies.map((c) => c.orgnr),
    );
    if (o.json) {
      printJson({
        user: o.as ?? null,
        ...pageJson(page, list.total, list.companies.length),
        companies: list.companies.map((c) => ({ ...c, hiring: hiring.get(c.orgnr) ?? null })),
      });
      return ExitCode.Ok;
    }
    if (list.total === 0) {
      printLine(o.as ? `${o.as} tracks no companies (leadjobs track ORGNR --rank N --as ${o.as})` : "no tracked companies");
      return ExitCode.Ok;
    }
    const past = pastTheEnd(page, list.total, o.as ? `companies tracked by ${o.as}` : "tracked companies");
    if (past !== null) {
      printLine(past);
      return ExitCode.Ok;
    }
    await printTable(
      ["orgnr", "company", "rank", "every", "last refresh", "outcome", "next refresh", "jobs"],
      list.companies.map((c) => [
        formatOrgnr(c.orgnr),
        truncate(c.name, 36),
        c.rank === c.highestRank ? c.rank : `${c.rank} (top ${c.highestRank})`,
        formatDuration(c.intervalMs),
        formatRelative(c.lastRefreshedAt, now),
        c.lastOutcome === null ? "-" : `${c.lastOutcome}${c.lastMessage ? `: ${truncate(c.lastMessage, 30)}` : ""}`,
        c.problem
          ? `PROBLEM since ${formatRelative(c.problemSince, now)}`
          : c.queued
            ? "queued"
            : c.nextRefreshAt === null
              ? "due"
              : formatRelative(c.nextRefreshAt, now),
        jobsCell(hiring.get(c.orgnr)),
      ]),
    );
    printMore(page, list.total, list.companies.length);
    if (list.companies.some((c) => c.problem)) printLine("problem companies are skipped until reset: see `leadjobs companies problems`");
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/** Open positions on the careers page: "3 open", "none open", "no careers page", "-" (never read). */
function jobsCell(h: HiringSignal | undefined): string {
  if (!h) return "-";
  if (!h.careersUrl) return "no careers page";
  return h.openPositions === 0 ? "none open" : `${h.openPositions} open`;
}

/** `leadjobs tracked --matches`: open positions whose titles match the trackers' keywords, per user. */
export async function printKeywordMatches(
  ctx: CommandContext,
  o: { as?: string | undefined; page: Page; json?: boolean | undefined },
): Promise<void> {
  const now = ctx.clock();
  const r = await keywordMatches(ctx.db, { username: o.as, ...o.page });
  if (o.json) {
    printJson({ user: o.as ?? null, ...pageJson(o.page, r.total, r.matches.length), matches: r.matches });
    return;
  }
  if (r.total === 0) {
    printLine(
      `no open positions match ${o.as ? `${o.as}'s` : "the users'"} keywords (leadjobs track ORGNR --rank N --keywords "lager,truck")`,
    );
    return;
  }
  const past = pastTheEnd(o.page, r.total, "matching positions");
  if (past !== null) {
    printLine(past);
    return;
  }
  const head = ["position", "company", "title", "keywords", "listed", "link"];
  await printTable(
    o.as ? head : ["user", ...head],
    r.matches.map((m) => {
      const row = [
        `#${m.positionId}`,
        `${formatOrgnr(m.orgnr)} ${truncate(m.name, 28)}`,
        `${truncate(m.title, 40)}${m.location ? ` (${truncate(m.location, 20)})` : ""}`,
        m.keywords.join(", "),
        formatRelative(m.firstSeenAt, now),
        m.url ?? "-",
      ];
      return o.as ? row : [m.user, ...row];
    }),
  );
  printMore(o.page, r.total, r.matches.length);
  printLine("a position's history (opened, closed, how long listed): leadjobs tracked hiring ORGNR");
}
