import { sql } from "kysely";
import { appendAudit } from "../audit/append.ts";
import { immediate, type Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import type { NamedThing } from "../jobs/named-references.ts";
import { renameInWaitingJobs } from "../queue/references.ts";
import { refuseIfNamed, renameInSchedules } from "../schedule/references.ts";
import { toInstant } from "../time.ts";
import { editList } from "./name-list.ts";
import { findBrand, normaliseDomain, parseList } from "./repository.ts";

export interface BrandChanges {
  name?: string | undefined;
  /** Moves the brand to this customer (created if new). */
  customer?: string | undefined;
  addAliases?: string[] | undefined;
  removeAliases?: string[] | undefined;
  addDomains?: string[] | undefined;
  removeDomains?: string[] | undefined;
}

/** Who changed a brand, and when. */
export interface BrandActor {
  actor: string;
  now: number;
}

/** How schedule and job payloads name brand `b` (by id or whole name, as `findBrand` resolves them). */
function brandThing(b: { id: number; name: string }): NamedThing {
  return {
    kind: "brand",
    naming: (v) => {
      if (typeof v === "number") return v === b.id ? "id" : null;
      if (typeof v !== "string") return null;
      if (v.trim() === String(b.id)) return "id";
      return v.trim().toLowerCase() === b.name.toLowerCase() ? "name" : null;
    },
  };
}

/**
 * Edits a brand. A name or alias that is one of its competitors' names or aliases is refused:
 * a brand cannot be its own competitor.
 */
export async function editBrand(
  db: Db,
  ref: string,
  c: BrandChanges,
  a: BrandActor,
): Promise<{ id: number; name: string; changed: string[]; schedules: string[]; jobs: number[] }> {
  const name = c.name?.trim();
  if (name === "") throw new UsageError("a brand needs a name");
  if (c.customer !== undefined && c.customer.trim() === "") throw new UsageError("a brand needs a customer");
  const addDomains = (c.addDomains ?? []).map(normaliseDomain);
  const removeDomains = (c.removeDomains ?? []).map(normaliseDomain);
  const brand = await findBrand(db, ref);
  return immediate(db, async (trx) => {
    const row = await trx.selectFrom("brand").selectAll().where("id", "=", brand.id).executeTakeFirstOrThrow();
    const others = await trx.selectFrom("brand").select(["id", "name"]).where("id", "!=", row.id).execute();
    const clash = name === undefined ? undefined : others.find((o) => o.name.toLowerCase() === name.toLowerCase());
    if (clash) throw new UsageError(`brand "${clash.name}" exists already`);
    const aliases = editList(parseList(row.aliases), c.addAliases ?? [], c.removeAliases ?? [], "alias");
    const domains = editList(parseList(row.domains), addDomains, removeDomains, "domain");
    const rivals = await trx.selectFrom("competitor").select(["name", "aliases"]).where("brand_id", "=", row.id).execute();
    for (const own of [name ?? row.name, ...aliases]) {
      const rival = rivals.find((r) => [r.name, ...parseList(r.aliases)].some((n) => n.toLowerCase() === own.toLowerCase()));
      if (rival) throw new UsageError(`"${own}" is ${row.name}'s competitor ${rival.name}: a brand cannot be its own competitor`);
    }
    const stamp = toInstant(a.now);
    let customerId = row.customer_id;
    if (c.customer !== undefined) {
      await trx
        .insertInto("customer")
        .values({ name: c.customer.trim(), created_at: stamp })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      customerId = (await trx.selectFrom("customer").select("id").where("name", "=", c.customer.trim()).executeTakeFirstOrThrow()).id;
    }
    const next = { name: name ?? row.name, customer_id: customerId, aliases: JSON.stringify(aliases), domains: JSON.stringify(domains) };
    const changed = (Object.keys(next) as Array<keyof typeof next>).filter((k) => next[k] !== row[k]);
    if (changed.length > 0) {
      await trx
        .updateTable("brand")
        .set({ ...next, updated_at: stamp })
        .where("id", "=", row.id)
        .execute();
      const pick = (o: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, o[k]]));
      await appendAudit(
        trx,
        [{ tenantId: null, table: "brand", rowId: row.id, action: "update", old: pick(row), new: pick(next), worker: `user:${a.actor}` }],
        a.now,
      );
    }
    // A schedule or waiting job that names the brand by its old name follows the rename.
    const renamed = changed.includes("name");
    const schedules = renamed ? (await renameInSchedules(trx, brandThing(row), next.name, a)).map((s) => s.name) : [];
    const jobs = renamed ? await renameInWaitingJobs(trx, brandThing(row), next.name) : [];
    return { id: row.id, name: next.name, changed: changed.map((k) => (k === "customer_id" ? "customer" : k)), schedules, jobs };
  });
}

export interface RemovedBrand {
  id: number;
  name: string;
  competitors: number;
  topics: number;
  queries: number;
  answers: number;
}

/**
 * Removes a brand with its competitors, topics and queries. A brand with answers (its history:
 * mentions, positions, sentiment, citations) is refused unless `force`, which removes them too.
 * Its customer stays. The audit log records what was removed.
 */
export async function removeBrand(db: Db, ref: string, o: { force: boolean }, a: BrandActor): Promise<RemovedBrand> {
  const brand = await findBrand(db, ref);
  return immediate(db, async (trx) => {
    await refuseIfNamed(trx, brandThing(brand), `brand "${brand.name}"`);
    const count = async (table: "competitor" | "topic" | "brand_query" | "answer") =>
      Number(
        (await trx.selectFrom(table).select(sql<number>`count(*)`.as("n")).where("brand_id", "=", brand.id).executeTakeFirstOrThrow()).n,
      );
    const r: RemovedBrand = {
      id: brand.id,
      name: brand.name,
      competitors: await count("competitor"),
      topics: await count("topic"),
      queries: await count("brand_query"),
      answers: await count("answer"),
    };
    if (r.answers > 0 && !o.force)
      throw new UsageError(`brand "${brand.name}" has ${r.answers} answer(s) with their scores: give --force to remove them with it`);
    await trx.deleteFrom("brand").where("id", "=", brand.id).execute();
    const { id: _id, ...old } = brand;
    await appendAudit(
      trx,
      [
        {
          tenantId: null,
          table: "brand",
          rowId: brand.id,
          action: "delete",
          old: { ...old, competitors: r.competitors, topics: r.topics, queries: r.queries, answers: r.answers },
          worker: `user:${a.actor}`,
        },
      ],
      a.now,
    );
    return r;
  });
}
