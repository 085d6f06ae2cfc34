import { sql } from "kysely";
import type { BrandRow, CompetitorRow } from "./schema.ts";
import { immediate, type Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { didYouMean } from "../util/nearest.ts";
import { editList } from "./name-list.ts";
import { toInstant } from "../time.ts";

export interface BrandInput {
  name: string;
  customer: string;
  aliases: string[];
  domains: string[];
}

const json = (xs: readonly string[]) => JSON.stringify([...new Set(xs.map((x) => x.trim()).filter(Boolean))]);
export const parseList = (text: string): string[] => JSON.parse(text) as string[];

/** Web domains as people write them: strips scheme, www. and paths; refuses what is not a domain. */
export function normaliseDomain(input: string): string {
  const host =
    input
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, "")
      .replace(/^www\./, "")
      .split(/[/?#]/)[0] ?? "";
  if (!/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(host))
    throw new UsageError(`"${input}" is not a web domain (e.g. example.se)`);
  return host;
}

export async function addBrand(db: Db, b: BrandInput, now: number): Promise<BrandRow> {
  const name = b.name.trim();
  if (name === "") throw new UsageError("a brand needs a name");
  if (b.customer.trim() === "") throw new UsageError("a brand needs a customer");
  const domains = b.domains.map(normaliseDomain);
  return immediate(db, async (trx) => {
    if (await brandNamed(trx, name)) throw new UsageError(`brand "${name}" exists already`);
    const stamp = toInstant(now);
    await trx
      .insertInto("customer")
      .values({ name: b.customer.trim(), created_at: stamp })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    const customer = await trx.selectFrom("customer").select("id").where("name", "=", b.customer.trim()).executeTakeFirstOrThrow();
    return trx
      .insertInto("brand")
      .values({ customer_id: customer.id, name, aliases: json(b.aliases), domains: json(domains), created_at: stamp, updated_at: stamp })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** A brand by id or (case-insensitive) name; exit 2 when there is none. */
export async function findBrand(db: Db, ref: string): Promise<BrandRow> {
  const byId =
    /^\d+$/.test(ref) && Number.isSafeInteger(Number(ref))
      ? await db.selectFrom("brand").selectAll().where("id", "=", Number(ref)).executeTakeFirst()
      : undefined;
  const brand = byId ?? (await brandNamed(db, ref.trim()));
  if (!brand) throw new UsageError(`no brand "${ref}"`, { code: "NOT_FOUND", hint: "see `leadjobs brands list`" });
  return brand;
}

/** A brand by name without regard to case (SQLite's lower() folds ASCII only: Å stays Å). */
async function brandNamed(db: Db, name: string): Promise<BrandRow | undefined> {
  return (await db.selectFrom("brand").selectAll().execute()).find((b) => b.name.toLowerCase() === name.toLowerCase());
}

export interface BrandSummary {
  id: number;
  name: string;
  customer: string;
  aliases: string[];
  domains: string[];
  competitors: number;
  activeQueries: number;
  answers: number;
  unscored: number;
  lastAnswerAt: string | null;
}

export async function listBrands(db: Db): Promise<BrandSummary[]> {
  const rows = await db
    .selectFrom("brand")
    .innerJoin("customer", "customer.id", "brand.customer_id")
    .select([
      "brand.id",
      "brand.name",
      "customer.name as customer",
      "brand.aliases",
      "brand.domains",
      sql<number>`(select count(*) from competitor c where c.brand_id = brand.id)`.as("competitors"),
      sql<number>`(select count(*) from brand_query q where q.brand_id = brand.id and q.active = 1)`.as("activeQueries"),
      sql<number>`(select count(*) from answer a where a.brand_id = brand.id)`.as("answers"),
      sql<number>`(select count(*) from answer a where a.brand_id = brand.id and a.scored_at is null)`.as("unscored"),
      sql<string | null>`(select max(asked_at) from answer a where a.brand_id = brand.id)`.as("lastAnswerAt"),
    ])
    .orderBy("brand.name")
    .execute();
  return rows.map((r) => ({ ...r, aliases: parseList(r.aliases), domains: parseList(r.domains) }));
}

export async function listCompetitors(db: Db, brandId: number): Promise<CompetitorRow[]> {
  return db.selectFrom("competitor").selectAll().where("brand_id", "=", brandId).orderBy("name").execute();
}

export interface CompetitorEdit {
  name: string;
  /** Aliases and domains to add; the ones it has stay. */
  aliases: string[];
  domains: string[];
  removeAliases?: string[] | undefined;
  removeDomains?: string[] | undefined;
}

/**
 * Adds a competitor, or edits the one of that name (in any case: "postnord" is PostNord):
 * the aliases and domains given join the ones it has, the ones to remove leave. With
 * `mustExist`, an unknown name is exit 2 instead of a new competitor.
 */
export async function addCompetitor(
  db: Db,
  brandId: number,
  c: CompetitorEdit,
  now: number,
  o: { mustExist?: boolean } = {},
): Promise<void> {
  const name = c.name.trim();
  if (name === "") throw new UsageError("a competitor needs a name");
  const brand = await db.selectFrom("brand").select(["name", "aliases"]).where("id", "=", brandId).executeTakeFirst();
  const own = brand ? [brand.name, ...(JSON.parse(brand.aliases) as string[])].map((n) => n.toLowerCase()) : [];
  const clash = [name, ...c.aliases].find((n) => own.includes(n.trim().toLowerCase()));
  if (clash !== undefined) {
    const what = clash === name ? `"${name}"` : `"${name}"'s alias "${clash.trim()}"`;
    throw new UsageError(`${what} is the brand itself (${brand?.name}): a brand cannot be its own competitor`);
  }
  const domains = c.domains.map(normaliseDomain);
  const removeDomains = (c.removeDomains ?? []).map(normaliseDomain);
  await immediate(db, async (trx) => {
    const existing = await competitorNamed(trx, brandId, name);
    if (!existing && o.mustExist) throw new UsageError(`${brand?.name} has no competitor "${name}"`, { code: "NOT_FOUND" });
    const row = existing ? await trx.selectFrom("competitor").selectAll().where("id", "=", existing.id).executeTakeFirstOrThrow() : null;
    const aliases = editList(row ? parseList(row.aliases) : [], c.aliases, c.removeAliases ?? [], "alias");
    const doms = editList(row ? parseList(row.domains) : [], domains, removeDomains, "domain");
    if (row)
      await trx
        .updateTable("competitor")
        .set({ aliases: JSON.stringify(aliases), domains: JSON.stringify(doms) })
        .where("id", "=", row.id)
        .execute();
    else
      await trx
        .insertInto("competitor")
        .values({ brand_id: brandId, name, aliases: JSON.stringify(aliases), domains: JSON.stringify(doms), created_at: toInstant(now) })
        .execute();
  });
}

export async function removeCompetitor(db: Db, brandId: number, name: string): Promise<void> {
  const existing = await competitorNamed(db, brandId, name.trim());
  if (!existing) throw new UsageError(`brand has no competitor "${name}"`, { code: "NOT_FOUND" });
  await db.deleteFrom("competitor").where("id", "=", existing.id).execute();
}

/** A brand's competitor by name without regard to case (SQLite's lower() folds ASCII only: Å stays Å). */
async function competitorNamed(db: Db, brandId: number, name: string): Promise<{ id: number } | undefined> {
  const all = await db.selectFrom("competitor").select(["id", "name"]).where("brand_id", "=", brandId).execute();
  return all.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

export async function listTopics(db: Db, brandId: number) {
  return db
    .selectFrom("topic")
    .select(["id", "name", sql<number>`(select count(*) from brand_query q where q.topic_id = topic.id)`.as("queries")])
    .where("brand_id", "=", brandId)
    .orderBy("name")
    .execute();
}

export async function addTopic(db: Db, brandId: number, name: string, now: number): Promise<number> {
  if (name.trim() === "") throw new UsageError("a topic needs a name");
  await db
    .insertInto("topic")
    .values({ brand_id: brandId, name: name.trim(), created_at: toInstant(now) })
    .onConflict((oc) => oc.columns(["brand_id", "name"]).doNothing())
    .execute();
  const t = await db
    .selectFrom("topic")
    .select("id")
    .where("brand_id", "=", brandId)
    .where("name", "=", name.trim())
    .executeTakeFirstOrThrow();
  return t.id;
}

export async function removeTopic(db: Db, brandId: number, name: string): Promise<void> {
  const r = await db.deleteFrom("topic").where("brand_id", "=", brandId).where("name", "=", name.trim()).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw new UsageError(`brand has no topic "${name}"`, { code: "NOT_FOUND" });
}

/**
 * Adds queries (skipping ones the brand has already); returns how many were new. They go under
 * an existing topic, or a new one only when `topic.create` says so: a misspelled topic name must
 * not quietly become a second topic.
 */
export async function addQueries(
  db: Db,
  brandId: number,
  texts: string[],
  topicRef: { name: string; create: boolean } | undefined,
  now: number,
): Promise<{ added: number; existing: number }> {
  const clean = [...new Set(texts.map((t) => t.trim()).filter(Boolean))];
  if (clean.length === 0) throw new UsageError("no queries given");
  const topic = topicRef?.name;
  if (topic !== undefined && topic.trim() === "") throw new UsageError("a topic needs a name");
  return immediate(db, async (trx) => {
    const stamp = toInstant(now);
    let topicId: number | null = null;
    if (topic !== undefined && !topicRef?.create) {
      const names = (await trx.selectFrom("topic").select("name").where("brand_id", "=", brandId).execute()).map((t) => t.name);
      if (!names.includes(topic.trim())) {
        throw new UsageError(`the brand has no topic "${topic.trim()}"${didYouMean(topic.trim(), names)}`, {
          code: "NOT_FOUND",
          hint: "create it with --new-topic NAME",
        });
      }
    }
    if (topic !== undefined) {
      await trx
        .insertInto("topic")
        .values({ brand_id: brandId, name: topic.trim(), created_at: stamp })
        .onConflict((oc) => oc.columns(["brand_id", "name"]).doNothing())
        .execute();
      topicId = (
        await trx
          .selectFrom("topic")
          .select("id")
          .where("brand_id", "=", brandId)
          .where("name", "=", topic.trim())
          .executeTakeFirstOrThrow()
      ).id;
    }
    let added = 0;
    for (const text of clean) {
      const r = await trx
        .insertInto("brand_query")
        .values({ brand_id: brandId, topic_id: topicId, text, active: 1, created_at: stamp, updated_at: stamp })
        .onConflict((oc) => oc.columns(["brand_id", "text"]).doNothing())
        .executeTakeFirst();
      added += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return { added, existing: clean.length - added };
  });
}

/** A brand's queries in the order they were added: the active ones, the inactive ones (proposals), or all. */
export async function listQueries(db: Db, brandId: number, o: { topic?: string | undefined; state: "active" | "inactive" | "all" }) {
  let q = db
    .selectFrom("brand_query")
    .leftJoin("topic", "topic.id", "brand_query.topic_id")
    .select([
      "brand_query.id",
      "brand_query.text",
      "brand_query.active",
      "topic.name as topic",
      sql<number>`(select count(*) from answer a where a.query_id = brand_query.id)`.as("answers"),
    ])
    .where("brand_query.brand_id", "=", brandId);
  if (o.state !== "all") q = q.where("brand_query.active", "=", o.state === "active" ? 1 : 0);
  if (o.topic !== undefined) q = q.where("topic.name", "=", o.topic);
  return q.orderBy("brand_query.id").execute();
}

/** Turns queries on or off; every id must belong to the brand (else nothing changes). */
export async function setQueriesActive(db: Db, brandId: number, ids: number[], active: boolean, now: number): Promise<number> {
  return immediate(db, async (trx) => {
    const found = await trx.selectFrom("brand_query").select("id").where("brand_id", "=", brandId).where("id", "in", ids).execute();
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length > 0)
      throw new UsageError(`brand has no quer${missing.length === 1 ? "y" : "ies"} ${missing.join(", ")}`, { code: "NOT_FOUND" });
    await trx
      .updateTable("brand_query")
      .set({ active: active ? 1 : 0, updated_at: toInstant(now) })
      .where("id", "in", ids)
      .execute();
    return ids.length;
  });
}
