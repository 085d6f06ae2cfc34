import type { Db } from "../db/handle.ts";
import { formatOrgnr } from "../domain/orgnr.ts";
import { UsageError } from "../errors.ts";
import { fromInstant } from "../time.ts";
import { latestHiring } from "./store.ts";

/** A position a company has listed, with how long it was (or has been) listed. */
export interface PositionHistory {
  /** hiring_position.id: what `tracked --matches` shows as the position. */
  id: number;
  title: string;
  url: string | null;
  location: string | null;
  /** The first check that saw it listed (again, after a close). */
  openedAt: string;
  /** The latest check that saw it listed. */
  lastSeenAt: string;
  /** The first check that no longer saw it; null while it is open. */
  closedAt: string | null;
  /** From openedAt to closedAt (or to now while open). */
  openMs: number;
}

export interface CompanyHiringHistory {
  orgnr: string;
  name: string;
  /** The careers page of the latest check; null when none was found or never checked. */
  careersUrl: string | null;
  /** The latest check of the careers page; null when it was never read. */
  checkedAt: string | null;
  open: PositionHistory[];
  closed: PositionHistory[];
}

export interface HiringHistory {
  companies: CompanyHiringHistory[];
  /** Positions in `companies`, and whether `limit` cut the list. */
  positions: number;
  more: number;
}

/** How long a position was listed: from the check that opened it to the one that closed it, or to now. */
export function openDuration(openedAt: string, closedAt: string | null, now: number): number {
  return Math.max(0, (closedAt === null ? now : fromInstant(closedAt)) - fromInstant(openedAt));
}

/**
 * The hiring history of tracked companies (one user's with `username`, one company's with
 * `orgnr`): open positions, newest first, then closed ones, most recently closed first. An
 * orgnr that is unknown, or that nobody (or not that user) tracks, is a UsageError.
 */
export async function hiringHistory(
  db: Db,
  o: { orgnr?: string | undefined; username?: string | undefined; limit: number; now: number },
): Promise<HiringHistory> {
  let userId: number | undefined;
  if (o.username !== undefined) {
    const user = await db.selectFrom("app_user").select("id").where("username", "=", o.username).executeTakeFirst();
    if (!user) throw new UsageError(`no user named "${o.username}"`, { code: "NOT_FOUND" });
    userId = user.id;
  }
  if (o.orgnr !== undefined) await checkTracked(db, o.orgnr, o.username, userId);
  let tracked = db.selectFrom("company_tracking").select("orgnr").distinct();
  if (userId !== undefined) tracked = tracked.where("user_id", "=", userId);
  if (o.orgnr !== undefined) tracked = tracked.where("orgnr", "=", o.orgnr);
  const companies = await db.selectFrom("company").select(["orgnr", "name"]).where("orgnr", "in", tracked).orderBy("orgnr").execute();
  if (companies.length === 0) return { companies: [], positions: 0, more: 0 };
  const orgnrs = companies.map((c) => c.orgnr);
  const rows = await db
    .selectFrom("hiring_position")
    .select(["id", "orgnr", "title", "url", "location", "first_seen_at", "last_seen_at", "closed_at"])
    .where("orgnr", "in", orgnrs)
    .orderBy("orgnr")
    .orderBy((eb) => eb.case().when("closed_at", "is", null).then(0).else(1).end())
    .orderBy("closed_at", "desc")
    .orderBy("first_seen_at", "desc")
    .orderBy("id")
    .execute();
  const checks = await latestHiring(db, orgnrs);
  const byCompany = new Map<string, CompanyHiringHistory>();
  for (const c of companies) {
    const s = checks.get(c.orgnr);
    byCompany.set(c.orgnr, {
      orgnr: c.orgnr,
      name: c.name,
      careersUrl: s?.careersUrl ?? null,
      checkedAt: s?.checkedAt ?? null,
      open: [],
      closed: [],
    });
  }
  let shown = 0;
  for (const r of rows.slice(0, o.limit)) {
    const p: PositionHistory = {
      id: r.id,
      title: r.title,
      url: r.url,
      location: r.location,
      openedAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
      closedAt: r.closed_at,
      openMs: openDuration(r.first_seen_at, r.closed_at, o.now),
    };
    const c = byCompany.get(r.orgnr);
    if (!c) continue;
    (p.closedAt === null ? c.open : c.closed).push(p);
    shown++;
  }
  return { companies: [...byCompany.values()], positions: shown, more: Math.max(0, rows.length - shown) };
}

async function checkTracked(db: Db, orgnr: string, username: string | undefined, userId: number | undefined): Promise<void> {
  const company = await db.selectFrom("company").select("orgnr").where("orgnr", "=", orgnr).executeTakeFirst();
  if (!company) throw new UsageError(`unknown company ${formatOrgnr(orgnr)}: it is not in the database`, { code: "NOT_FOUND" });
  let q = db.selectFrom("company_tracking").select("id").where("orgnr", "=", orgnr);
  if (userId !== undefined) q = q.where("user_id", "=", userId);
  if (!(await q.executeTakeFirst()))
    throw new UsageError(
      `${formatOrgnr(orgnr)} is not tracked${username !== undefined ? ` by ${username}` : ""}: its careers page is not read (leadjobs track ${formatOrgnr(orgnr)} --rank N)`,
      { code: "NOT_FOUND" },
    );
}
