import type { Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { keywordMatcher } from "./keyword-match.ts";

/** An open position at a company a user tracks whose title matches the user's keywords. */
export interface KeywordMatch {
  user: string;
  orgnr: string;
  name: string;
  rank: number;
  /** The position (hiring_position.id), as `tracked hiring ORGNR` lists it. */
  positionId: number;
  title: string;
  url: string | null;
  location: string | null;
  /** The user's keywords that match the title. */
  keywords: string[];
  /** Since when the position has been listed. */
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface KeywordMatches {
  total: number;
  matches: KeywordMatch[];
}

/**
 * Open positions whose titles match the keywords of the users tracking their companies (one
 * user's with `username`): by user, highest rank first, newest positions first.
 */
export async function keywordMatches(db: Db, o: { username?: string | undefined; limit: number }): Promise<KeywordMatches> {
  let q = db
    .selectFrom("company_tracking as t")
    .innerJoin("app_user as u", "u.id", "t.user_id")
    .innerJoin("company as c", "c.orgnr", "t.orgnr")
    .innerJoin("hiring_position as p", (j) => j.onRef("p.orgnr", "=", "t.orgnr").on("p.closed_at", "is", null))
    .select([
      "u.username",
      "t.orgnr",
      "c.name",
      "t.rank",
      "t.keywords",
      "p.id as position_id",
      "p.title",
      "p.url",
      "p.location",
      "p.first_seen_at",
      "p.last_seen_at",
    ])
    .where("t.keywords", "!=", "[]");
  if (o.username !== undefined) {
    const user = await db.selectFrom("app_user").select("id").where("username", "=", o.username).executeTakeFirst();
    if (!user) throw new UsageError(`no user named "${o.username}"`, { code: "NOT_FOUND" });
    q = q.where("t.user_id", "=", user.id);
  }
  const rows = await q
    .orderBy("u.username")
    .orderBy("t.rank", "desc")
    .orderBy("t.orgnr")
    .orderBy("p.first_seen_at", "desc")
    .orderBy("p.id")
    .execute();
  const matchers = new Map<string, (title: string) => string[]>();
  const matches: KeywordMatch[] = [];
  for (const r of rows) {
    let match = matchers.get(r.keywords);
    if (!match) matchers.set(r.keywords, (match = keywordMatcher(parseKeywords(r.keywords))));
    const keywords = match(r.title);
    if (keywords.length === 0) continue;
    matches.push({
      user: r.username,
      orgnr: r.orgnr,
      name: r.name,
      rank: r.rank,
      positionId: r.position_id,
      title: r.title,
      url: r.url,
      location: r.location,
      keywords,
      firstSeenAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
    });
  }
  return { total: matches.length, matches: matches.slice(0, o.limit) };
}

function parseKeywords(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((k): k is string => typeof k === "string") : [];
  } catch {
    return [];
  }
}
