import { formatOrgnr } from "../core/domain/orgnr.ts";
import { ExitCode, UsageError } from "../core/errors.ts";
import { parseRankBands, refreshInterval } from "../core/tracking/rank-cadence.ts";
import { trackCompany } from "../core/tracking/tracking.ts";
import { formatDuration } from "../core/time.ts";
import { actingUser, userName } from "./shared/actor.ts";
import { loadConfig, openContextWith, type GlobalOptions } from "./shared/context.ts";
import { orgnrArgument } from "./shared/options.ts";
import { printJson, printLine } from "./shared/output.ts";

export interface TrackOptions {
  rank?: string;
  as?: string;
  keywords?: string;
  json?: boolean;
}

function rankOption(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > 100) {
    throw new UsageError(`invalid --rank "${text ?? ""}": expected a whole number from 1 (lowest) to 100 (highest)`);
  }
  return Number(text);
}

function keywordsOption(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const words = [
    ...new Set(
      text
        .split(",")
        .map((w) => w.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (words.some((w) => w.length > 60)) throw new UsageError(`invalid --keywords: a keyword is longer than 60 characters`);
  return words;
}

/** `leadjobs track ORGNR --rank N`: validated before the database is opened; nothing is written on bad input. */
export async function trackCommand(g: GlobalOptions, orgnrText: string, o: TrackOptions): Promise<number> {
  const orgnr = orgnrArgument(orgnrText);
  const rank = rankOption(o.rank);
  const keywords = keywordsOption(o.keywords);
  if (o.as !== undefined) userName(o.as); // its form, before the database is opened
  const config = loadConfig(g);
  const bands = parseRankBands(config.refreshBands);
  const ctx = await openContextWith(g, config);
  try {
    const username = (await actingUser(ctx.db, o.as)).name;
    const r = await trackCompany(ctx.db, { orgnr, rank, username, keywords }, ctx.clock());
    const interval = refreshInterval(bands, rank);
    if (o.json)
      printJson({
        orgnr,
        name: r.companyName,
        rank,
        user: username,
        created: r.created,
        previousRank: r.previousRank,
        userCreated: r.userCreated,
        keywords: keywords ?? null,
      });
    else {
      const what = r.created ? "now tracks" : r.previousRank === rank ? "still tracks" : `changed the rank (was ${r.previousRank}) of`;
      printLine(
        `${username} ${what} ${formatOrgnr(orgnr)} ${r.companyName} at rank ${rank} (rank ${rank} is refreshed every ${formatDuration(interval)})${r.userCreated ? `; added user ${username}` : ""}`,
      );
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
