import { sql } from "kysely";
import { immediate, type Db } from "../db/handle.ts";
import { formatOrgnr } from "../domain/orgnr.ts";
import { UsageError } from "../errors.ts";
import { refreshInterval, type RankBand } from "./rank-cadence.ts";
import { fromInstant, toInstant } from "../time.ts";
import { liveJobWithKey } from "../queue/enqueue.ts";
import { CADENCE_FROM, refreshDedupeKey } from "./due-refreshes.ts";

export interface TrackRequest {
  /** Normalised 10-digit organisationsnummer. */
  orgnr: string;
  rank: number;
  username: string;
  /** Lower-case keywords; undefined keeps the current ones. */
  keywords?: string[] | undefined;
}

export interface TrackResult {
  created: boolean;
  previousRank: number | null;
  /** The user was not known yet and was added (role manager). */
  userCreated: boolean;
  companyName: string;
}

/** Tracks a company for a user (or changes the rank). An unknown company is a UsageError; nothing is written. */
export async function trackCompany(db: Db, r: TrackRequest, now: number): Promise<TrackResult> {
  return immediate(db, async (trx) => {
    const company = await trx.selectFrom("company").select(["orgnr", "name"]).where("orgnr", "=", r.orgnr).executeTakeFirst();
    if (!company) throw new UsageError(`unknown company ${formatOrgnr(r.orgnr)}: it is not in the database`, { code: "NOT_FOUND" });
    const stamp = toInstant(now);
    let user = await trx.selectFrom("app_user").select("id").where("username", "=", r.username).executeTakeFirst();
    const userCreated = !user;
    user ??= await trx
      .insertInto("app_user")
      .values({ username: r.username, display_name: null, email: null, role: "manager", created_at: stamp })
      .returning("id")
      .executeTakeFirstOrThrow();
    const existing = await trx
      .selectFrom("company_tracking")
      .select(["id", "rank"])
      .where("user_id", "=", user.id)
      .where("orgnr", "=", r.orgnr)
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable("company_tracking")
        .set({ rank: r.rank, updated_at: stamp, ...(r.keywords ? { keywords: JSON.stringify(r.keywords) } : {}) })
        .where("id", "=", existing.id)
        .execute();
    } else {
      await trx
        .insertInto("company_tracking")
        .values({
          user_id: user.id,
          orgnr: r.orgnr,
          rank: r.rank,
          keywords: JSON.stringify(r.keywords ?? []),
          created_at: stamp,
          updated_at: stamp,
        })
        .execute();
    }
    return { created: !existing, previousRank: existing?.rank ?? null, userCreated, companyName: company.name };
  });
}

/** Stops a user tracking a company; returns how many users still track it. */
export async function untrackCompany(db: Db, orgnr: string, username: string): Promise<{ remaining: number }> {
  return immediate(db, async (trx) => {
    const user = await trx.selectFrom("app_user").select("id").where("username", "=", username).executeTakeFirst();
    const deleted = user
      ? await trx.deleteFrom("company_tracking").where("user_id", "=", user.id).where("orgnr", "=", orgnr).executeTakeFirst()
      : null;
    if (!deleted || Number(deleted.numDeletedRows) === 0) {
      throw new UsageError(`${formatOrgnr(orgnr)} is not tracked by ${username}`, { code: "NOT_FOUND", hint: "see `leadjobs tracked`" });
    }
    const left = await trx
      .selectFrom("company_tracking")
      .select(sql<number>`count(*)`.as("n"))
      .where("orgnr", "=", orgnr)
      .executeTakeFirstOrThrow();
    return { remaining: left.n };
  });
}

/** A tracked company with its refresh cadence and state. */
export interface TrackedCompany {
  orgnr: string;
  name: string;
  /** The user's rank with `username`, else the highest rank. */
  rank: number;
  /** The highest rank over all users: it sets the interval. */
  highestRank: number;
  trackers: number;
  keywords: string[];
  intervalMs: number;
  lastRefreshedAt: string | null;
  lastOutcome: string | null;
  lastMessage: string | null;
  /** When the next refresh is due; null: due now. */
  nextRefreshAt: string | null;
  /** A refresh job is pending or running. */
  queued: boolean;
  problem: boolean;
  problemSince: string | null;
  consecutiveFailures: number;
}

export interface TrackedList {
  total: number;
  companies: TrackedCompany[];
}

/** Tracked companies, highest rank first; one user's with `username`. */
export async function listTracked(
  db: Db,
  o: { username?: string | undefined; limit: number | null; offset?: number; now: number; bands: readonly RankBand[] },
): Promise<TrackedList> {
  let userId: number | null = null;
  if (o.username !== undefined) {
    const user = await db.selectFrom("app_user").select("id").where("username", "=", o.username).executeTakeFirst();
    if (!user) throw new UsageError(`no user named "${o.username}"`, { code: "NOT_FOUND" });
    userId = user.id;
  }
  const mine = userId === null ? sql`` : sql`join company_tracking t on t.orgnr = r.orgnr and t.user_id = ${userId}`;
  const rows = await sql<{
    orgnr: string;
    name: string;
    rank: number;
    top: number;
    trackers: number;
    keywords: string | null;
    last_refreshed_at: string | null;
    cadence_from: string | null;
    last_outcome: string | null;
    last_message: string | null;
    problem: number | null;
    problem_since: string | null;
    consecutive_failures: number | null;
    /** 0/1 on SQLite, a boolean on PostgreSQL. */
    queued: number | boolean;
    total: number;
  }>`
    with r as (select orgnr, max(rank) as top, count(*) as trackers from company_tracking group by orgnr)
    select r.orgnr, c.name, ${userId === null ? sql`r.top` : sql`t.rank`} as rank, r.top, r.trackers,
      ${userId === null ? sql`null` : sql`t.keywords`} as keywords,
      cr.last_refreshed_at, ${CADENCE_FROM} as cadence_from, cr.last_outcome, cr.last_message, cr.problem, cr.problem_since, cr.consecutive_failures,
      ${liveJobWithKey(refreshDedupeKey("r.orgnr"))} as queued,
      count(*) over () as total
    from r ${mine}
    join company c on c.orgnr = r.orgnr
    left join company_refresh cr on cr.orgnr = r.orgnr
    order by rank desc, r.orgnr
    limit ${o.limit ?? Number.MAX_SAFE_INTEGER} offset ${o.offset ?? 0}`.execute(db);
  // Past the end, the window count has no row to ride on: count from the start.
  if (rows.rows.length === 0 && (o.offset ?? 0) > 0)
    return { total: (await listTracked(db, { ...o, limit: 1, offset: 0 })).total, companies: [] };
  return {
    total: rows.rows[0]?.total ?? 0,
    companies: rows.rows.map((r) => {
      const intervalMs = refreshInterval(o.bands, r.top);
      const next = r.cadence_from === null ? null : fromInstant(r.cadence_from) + intervalMs;
      return {
        orgnr: r.orgnr,
        name: r.name,
        rank: r.rank,
        highestRank: r.top,
        trackers: r.trackers,
        keywords: r.keywords ? (JSON.parse(r.keywords) as string[]) : [],
        intervalMs,
        lastRefreshedAt: r.last_refreshed_at,
        lastOutcome: r.last_outcome,
        lastMessage: r.last_message,
        nextRefreshAt: next === null || next <= o.now ? null : toInstant(next),
        queued: Boolean(r.queued),
        problem: r.problem === 1,
        problemSince: r.problem_since,
        consecutiveFailures: r.consecutive_failures ?? 0,
      };
    }),
  };
}
