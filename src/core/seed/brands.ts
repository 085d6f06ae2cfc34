import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import { byDialect } from "../db/dialect.ts";
import * as postgres from "./brands.postgres.ts";
import * as sqlite from "./brands.sqlite.ts";
import { Picker, seededRandom } from "./random.ts";
import { storeProposals } from "../brands/query-generate.ts";
import { templateQueries } from "../brands/query-templates.ts";

/** A delivery brand watched in AI answers, its competitors and the questions buyers ask. */
const BRAND = { name: "Budbee", customer: "Budbee AB", aliases: ["Budbee AB"], domains: ["budbee.com"] };
const COMPETITORS = [
  { name: "PostNord", aliases: ["Post Nord"], domains: ["postnord.se"] },
  { name: "Instabox", aliases: ["Instabee"], domains: ["instabox.se", "instabee.com"] },
  { name: "DHL", aliases: ["DHL Express"], domains: ["dhl.se", "dhl.com"] },
  { name: "Bring", aliases: [], domains: ["bring.se"] },
  { name: "Airmee", aliases: [], domains: ["airmee.com"] },
  { name: "Early Bird", aliases: ["Early Bird Delivery"], domains: ["earlybird.se"] },
];
/** The brand's onboarding topics; its queries are generated from them (brands queries generate, rules provider). */
const TOPICS = ["hemleverans", "e-handel", "hållbarhet"];
const PROVIDERS = [
  ["openai", "gpt-4o-mini"],
  ["gemini", "gemini-2.5-flash"],
  ["claude", "claude-sonnet-4"],
  ["ollama", "llama3.1:8b"],
] as const;
const GOOD = [
  "snabb och pålitlig",
  "prisvärd",
  "populär bland e-handlare",
  "miljövänlig med elbilar",
  "reliable and fast",
  "highly recommended",
];
const BAD = [
  "ibland försenad",
  "har fått klagomål på kundtjänsten",
  "dyr för små företag",
  "often delayed",
  "limited coverage outside cities",
];

export interface BrandSeedCounts {
  brands: number;
  queries: number;
  answers: number;
}

/** Seeds one brand with competitors, topics, queries and `answers` stored sample answers (not yet scored). */
export async function seedBrands(trx: Db, seed: number, answers: number, now: number): Promise<BrandSeedCounts> {
  const p = new Picker(seededRandom(seed * 7919 + 17));
  const stamp = toInstant(now);
  await trx
    .insertInto("customer")
    .values({ name: BRAND.customer, created_at: stamp })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const customer = await trx.selectFrom("customer").select("id").where("name", "=", BRAND.customer).executeTakeFirstOrThrow();
  await trx
    .insertInto("brand")
    .values({
      customer_id: customer.id,
      name: BRAND.name,
      aliases: JSON.stringify(BRAND.aliases),
      domains: JSON.stringify(BRAND.domains),
      created_at: stamp,
      updated_at: stamp,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const brand = await trx.selectFrom("brand").select("id").where("name", "=", BRAND.name).executeTakeFirstOrThrow();
  for (const c of COMPETITORS) {
    await trx
      .insertInto("competitor")
      .values({
        brand_id: brand.id,
        name: c.name,
        aliases: JSON.stringify(c.aliases),
        domains: JSON.stringify(c.domains),
        created_at: stamp,
      })
      .onConflict((oc) => oc.columns(["brand_id", "name"]).doNothing())
      .execute();
  }
  const queries: Array<{ id: number; text: string }> = [];
  for (const topic of TOPICS) {
    await trx
      .insertInto("topic")
      .values({ brand_id: brand.id, name: topic, created_at: stamp })
      .onConflict((oc) => oc.columns(["brand_id", "name"]).doNothing())
      .execute();
    const t = await trx
      .selectFrom("topic")
      .select("id")
      .where("brand_id", "=", brand.id)
      .where("name", "=", topic)
      .executeTakeFirstOrThrow();
    queries.push(...(await storeProposals(trx, brand.id, t.id, templateQueries(topic), now)));
  }
  // A demo brand is past onboarding: its proposals were looked over and activated.
  await trx
    .updateTable("brand_query")
    .set({ active: 1, updated_at: stamp })
    .where(
      "id",
      "in",
      queries.map((q) => q.id),
    )
    .execute();
  const rows = Array.from({ length: answers }, (_, i) => {
    const q = p.pick(queries);
    const [provider, model] = p.pick(PROVIDERS);
    const text = sampleAnswer(p);
    const inputTokens = 20 + Math.round(q.text.length / 4);
    const outputTokens = Math.round(text.length / 4);
    return {
      brand_id: brand.id,
      query_id: q.id,
      query_text: q.text,
      provider,
      model,
      asked_at: toInstant(now - p.int(0, 56 * 24) * 3_600_000),
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      cost_micro_usd: provider === "ollama" ? 0 : Math.round(inputTokens * 0.15 + outputTokens * 0.6),
      text,
      job_id: null,
      run_key: `seed:${i}`,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await byDialect(trx, { sqlite, postgres }).insertAnswers(trx, rows.slice(i, i + 500));
  return { brands: 1, queries: queries.length, answers };
}

/** An answer like an assistant gives: a ranked list, or prose, with judgements and sometimes sources. */
function sampleAnswer(p: Picker): string {
  const names = [BRAND.name, ...COMPETITORS.map((c) => c.name)];
  const shown = names
    .filter((n) => n !== BRAND.name || p.chance(0.7))
    .sort(() => p.random() - 0.5)
    .slice(0, p.int(2, 5));
  const judge = (n: string) =>
    n === BRAND.name ? (p.chance(0.75) ? p.pick(GOOD) : p.pick(BAD)) : p.chance(0.5) ? p.pick(GOOD) : p.pick(BAD);
  let body: string;
  if (p.chance(0.6)) {
    body = `Här är några alternativ:\n${shown.map((n, i) => `${i + 1}. **${n}** – ${judge(n)}.`).join("\n")}\n\nJämför priser och leveranstider för just dina behov.`;
  } else {
    body = shown.map((n) => `${n} är ${judge(n)}.`).join(" ");
  }
  if (p.chance(0.4)) {
    const cited = p.pick([...COMPETITORS, BRAND]);
    body += `\n\nKälla: https://www.${cited.domains[0]}/${p.pick(["leverans", "priser", "om-oss"])}`;
  }
  return body;
}
