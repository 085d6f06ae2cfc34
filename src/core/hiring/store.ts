import { createHash } from "node:crypto";
import type { HiringSource } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import { positionKey, type Position } from "./parse-positions.ts";

export interface HiringCheck {
  careersUrl: string | null;
  source: HiringSource | null;
  positions: Position[];
}

export interface HiringChange {
  /** The snapshot that now describes the company. */
  snapshotId: number;
  /** False when the check saw what the previous one saw. */
  changed: boolean;
  openPositions: number;
  opened: Position[];
  /** Titles of the positions no longer listed. */
  closed: string[];
}

/**
 * Records one careers-page check of a company, keeping history as changes: an unchanged check
 * only moves `last_seen_at` of the latest snapshot; a changed one adds a snapshot. Positions
 * no longer listed are closed, new ones opened (a position listed again opens anew).
 * Call inside `immediate`.
 */
export async function recordHiring(
  trx: Db,
  orgnr: string,
  check: HiringCheck,
  analysisId: number | null,
  now: number,
): Promise<HiringChange> {
  const stamp = toInstant(now);
  const positions = check.positions;
  const digest = createHash("sha256")
    .update(JSON.stringify([check.careersUrl, positions.map((p) => [positionKey(p), p.title, p.location]).sort()]))
    .digest("hex")
    .slice(0, 32);
  const latest = await trx
    .selectFrom("hiring_snapshot")
    .select(["id", "digest"])
    .where("orgnr", "=", orgnr)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  let snapshotId: number;
  const changed = latest?.digest !== digest;
  if (latest && !changed) {
    await trx
      .updateTable("hiring_snapshot")
      .set((eb) => ({ last_seen_at: stamp, checks: eb("checks", "+", 1) }))
      .where("id", "=", latest.id)
      .execute();
    snapshotId = latest.id;
  } else {
    const row = await trx
      .insertInto("hiring_snapshot")
      .values({
        orgnr,
        careers_url: check.careersUrl,
        source: check.source,
        position_count: positions.length,
        positions: JSON.stringify(positions),
        digest,
        first_seen_at: stamp,
        last_seen_at: stamp,
        analysis_id: analysisId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    snapshotId = row.id;
  }

  const open = await trx
    .selectFrom("hiring_position")
    .select(["id", "key", "title"])
    .where("orgnr", "=", orgnr)
    .where("closed_at", "is", null)
    .execute();
  const listed = new Map(positions.map((p) => [positionKey(p), p]));
  const gone = open.filter((p) => !listed.has(p.key));
  if (gone.length > 0)
    await trx
      .updateTable("hiring_position")
      .set({ closed_at: stamp })
      .where(
        "id",
        "in",
        gone.map((p) => p.id),
      )
      .execute();
  const openKeys = new Set(open.map((p) => p.key));
  const opened = positions.filter((p) => !openKeys.has(positionKey(p)));
  for (const p of positions) {
    const isNew = !openKeys.has(positionKey(p));
    await trx
      .insertInto("hiring_position")
      .values({
        orgnr,
        key: positionKey(p),
        title: p.title,
        url: p.url,
        location: p.location,
        first_seen_at: stamp,
        last_seen_at: stamp,
        closed_at: null,
      })
      .onConflict((oc) =>
        oc.columns(["orgnr", "key"]).doUpdateSet({
          title: p.title,
          url: p.url,
          location: p.location,
          last_seen_at: stamp,
          closed_at: null,
          // Listed again after it was closed: a new listing from now on.
          ...(isNew ? { first_seen_at: stamp } : {}),
        }),
      )
      .execute();
  }
  return { snapshotId, changed, openPositions: positions.length, opened, closed: gone.map((p) => p.title) };
}

/** The hiring signal of companies: their latest snapshot each. */
export interface HiringSignal {
  careersUrl: string | null;
  openPositions: number;
  /** Since when this state has been seen, and the latest check. */
  since: string;
  checkedAt: string;
}

export async function latestHiring(db: Db, orgnrs: readonly string[]): Promise<Map<string, HiringSignal>> {
  const out = new Map<string, HiringSignal>();
  if (orgnrs.length === 0) return out;
  const rows = await db
    .selectFrom("hiring_snapshot as s")
    .select(["s.orgnr", "s.careers_url", "s.position_count", "s.first_seen_at", "s.last_seen_at"])
    .where("s.orgnr", "in", [...new Set(orgnrs)])
    .where((eb) =>
      eb(
        "s.id",
        "=",
        eb
          .selectFrom("hiring_snapshot as l")
          .select((x) => x.fn.max("l.id").as("id"))
          .whereRef("l.orgnr", "=", "s.orgnr"),
      ),
    )
    .execute();
  for (const r of rows)
    out.set(r.orgnr, { careersUrl: r.careers_url, openPositions: r.position_count, since: r.first_seen_at, checkedAt: r.last_seen_at });
  return out;
}
