import { immediate } from "../db/handle.ts";
import type { Db } from "../db/handle.ts";
import type { LeadStatus } from "../leads/schema.ts";
import { parsePostcodeRange } from "../leads/assign.ts";
import { createLeads } from "../leads/leads.ts";
import type { LeadsAnalyzePayload, LeadsSearchAndAnalyzePayload } from "../leads/payloads.ts";
import { scoreLead } from "../leads/rules-provider.ts";
import { toInstant } from "../time.ts";
import type { SeedCompany } from "./companies.ts";
import type { Picker } from "./random.ts";

/** Terminals and their assignment rules, in the order the rules are tried. */
const TERMINALS: ReadonlyArray<{
  name: string;
  description: string;
  isDefault?: boolean;
  rules: Array<[kind: "town" | "municipality" | "postcode" | "sni", value: string]>;
}> = [
  { name: "E-handel Terminal", description: "web shops all over Sweden", rules: [["sni", "4791"]] },
  {
    name: "Stockholm Terminal",
    description: "Stockholm and Mälardalen",
    rules: [
      ["municipality", "Stockholm"],
      ["municipality", "Solna"],
      ["postcode", "100-199"],
    ],
  },
  {
    name: "Göteborg Terminal",
    description: "Västra Götaland and Halland",
    rules: [
      ["municipality", "Göteborg"],
      ["municipality", "Kungsbacka"],
      ["postcode", "400-549"],
    ],
  },
  {
    name: "Malmö Terminal",
    description: "Skåne",
    rules: [
      ["municipality", "Malmö"],
      ["municipality", "Lund"],
      ["postcode", "200-299"],
    ],
  },
  { name: "Norrland Terminal", description: "north of Dalälven", rules: [["postcode", "800-989"]] },
  { name: "Riks Terminal", description: "everything no rule assigns", isDefault: true, rules: [] },
];

const STATUS_WEIGHTS: ReadonlyArray<readonly [LeadStatus, number]> = [
  ["new", 50],
  ["qualified", 20],
  ["contacted", 15],
  ["customer", 8],
  ["rejected", 7],
];
const PLATFORMS = ["Shopify", "WooCommerce", "Centra", "Norce", "Abicart", "Quickbutik", "Magento"];
const CARRIERS = ["PostNord", "DHL", "Budbee", "Instabox", "Bring", "Schenker", "Airmee", "Early Bird"];

export interface LeadSeedCounts {
  terminals: number;
  leads: number;
}

/**
 * Terminals with rules (e-commerce first, then regions, a default), and leads for some of the
 * seeded companies: assigned by the rules, a spread of statuses, most analysed once by the
 * rules provider, web shops with a website summary. Re-running adds no duplicates.
 */
export async function seedLeads(trx: Db, p: Picker, companies: readonly SeedCompany[], now: number): Promise<LeadSeedCounts> {
  const stamp = toInstant(now);
  const names = TERMINALS.map((t) => t.name);
  await trx.updateTable("terminal").set({ is_default: 0 }).where("is_default", "=", 1).where("name", "not in", names).execute();
  for (const t of TERMINALS) {
    await trx
      .insertInto("terminal")
      .values({ name: t.name, description: t.description, is_default: t.isDefault ? 1 : 0, created_at: stamp })
      .onConflict((oc) => oc.column("name").doUpdateSet({ description: t.description, is_default: t.isDefault ? 1 : 0 }))
      .execute();
  }
  const ids = new Map(
    (await trx.selectFrom("terminal").select(["id", "name"]).where("name", "in", names).execute()).map((t) => [t.name, t.id]),
  );
  await trx
    .deleteFrom("terminal_rule")
    .where("terminal_id", "in", [...ids.values()])
    .execute();
  let position = 0;
  for (const t of TERMINALS) {
    for (const [kind, value] of t.rules) {
      const range = kind === "postcode" ? parsePostcodeRange(value) : null;
      position += 10;
      await trx
        .insertInto("terminal_rule")
        .values({
          terminal_id: ids.get(t.name) as number,
          position,
          kind,
          value: range ? range.text : value,
          postcode_from: range?.from ?? null,
          postcode_to: range?.to ?? null,
          created_at: stamp,
        })
        .execute();
    }
  }

  const eligible = companies.filter((c) => c.status === "active" && c.reklamsparr === 0);
  const wanted = Math.min(eligible.length, Math.max(0, Math.round(companies.length * 0.06)));
  const chosen = new Map<string, SeedCompany>();
  while (chosen.size < wanted) {
    const c = p.pick(eligible);
    chosen.set(c.orgnr, c);
  }
  const list = [...chosen.values()];
  const created = await createLeads(
    trx,
    list.map((c) => ({
      orgnr: c.orgnr,
      town: c.town,
      municipality: c.municipality,
      postcode: c.postcode,
      sniCodes: JSON.parse(c.sni_codes) as string[],
      website: c.website,
    })),
    { source: "seed", actor: "user:seed", now, assign: "rules" },
  );

  for (const lead of created) {
    const c = chosen.get(lead.orgnr) as SeedCompany;
    const status = p.weighted(STATUS_WEIGHTS);
    const web =
      c.sector.ecommerce && c.website && p.chance(0.7)
        ? {
            platform: p.pick(PLATFORMS),
            checkout: [p.pick(["Klarna Checkout", "Svea Checkout", "Walley", "Qliro"])],
            carriers: [...new Set([p.pick(CARRIERS), p.pick(CARRIERS)])],
          }
        : null;
    await trx
      .updateTable("lead")
      .set({ status, web_summary: web ? JSON.stringify(web) : null, web_analysed_at: web ? stamp : null })
      .where("id", "=", lead.id)
      .execute();
    if (!p.chance(0.75)) continue;
    const sni = JSON.parse(c.sni_codes) as string[];
    const v = scoreLead({
      orgnr: c.orgnr,
      name: c.name,
      legal_form: c.legal_form,
      status: c.status,
      town: c.town,
      municipality: c.municipality,
      sni: sni.map((code) => ({ code, title: null })),
      employees: c.employees,
      revenue_tkr: c.revenue_tkr,
      website: c.website,
      reklamsparr: false,
      website_analysis: web,
    });
    const analysedAt = toInstant(now - p.int(1, 200) * 86_400_000);
    await trx
      .insertInto("lead_analysis")
      .values({
        lead_id: lead.id,
        job_id: null,
        protocol: "quick",
        provider: "rules",
        model: "rules-v1",
        status: "succeeded",
        score: v.fit_score,
        segment: v.segment,
        volume_class: v.volume_class,
        next_step: v.next_step,
        reasons: JSON.stringify(v.reasons),
        output: JSON.stringify(v),
        error: null,
        input_tokens: 0,
        output_tokens: 0,
        cost_microusd: 0,
        duration_ms: 1,
        created_at: analysedAt,
      })
      .execute();
    await trx
      .updateTable("lead")
      .set({ score: v.fit_score, segment: v.segment, volume_class: v.volume_class, next_step: v.next_step, analysed_at: analysedAt })
      .where("id", "=", lead.id)
      .execute();
  }
  const leads = await trx
    .selectFrom("lead")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return { terminals: TERMINALS.length, leads: leads.n };
}

/** A schedule in the form both `schedule add` variants take: a cron expression, or a time and days. */
export interface LeadScheduleDefinition {
  name: string;
  type: "leads.search_and_analyze" | "leads.analyze";
  payload: LeadsSearchAndAnalyzePayload | LeadsAnalyzePayload;
  cron: string;
  at: string;
  days: "weekdays" | "weekends" | string[];
  timezone: "Europe/Stockholm";
}

/**
 * The seed spec's three lead schedules. The schedules table belongs to the schedules feature;
 * once both are merged, the seed inserts these (or an operator runs `schedule add` with them).
 */
export function leadScheduleDefinitions(): LeadScheduleDefinition[] {
  return [
    {
      name: "nightly-lead-search",
      type: "leads.search_and_analyze",
      payload: {
        search_query: "e-handel",
        search_filters: { industry: ["4791", "46"] },
        max_results: 100,
        auto_assign: true,
        analysis_protocol: "batch",
        llm_provider: "rules",
      },
      cron: "0 22 * * 1-5",
      at: "22:00",
      days: "weekdays",
      timezone: "Europe/Stockholm",
    },
    {
      name: "weekend-lead-reanalysis",
      type: "leads.analyze",
      payload: {
        selector: { not_analysed_since: "90d", status: ["new", "qualified", "contacted"], limit: 200 },
        analysis_protocol: "quick",
        llm_provider: "rules",
      },
      cron: "0 23 * * 6,0",
      at: "23:00",
      days: "weekends",
      timezone: "Europe/Stockholm",
    },
    {
      name: "weekly-deep-analysis",
      type: "leads.analyze",
      payload: {
        selector: { status: ["qualified"], min_score: 60, limit: 50 },
        analysis_protocol: "deep",
        llm_provider: "rules",
        max_cost_usd: 5,
      },
      cron: "0 6 * * 1",
      at: "06:00",
      days: ["mon"],
      timezone: "Europe/Stockholm",
    },
  ];
}

/** Runs seedLeads in its own transaction (tests). */
export function seedLeadsNow(db: Db, p: Picker, companies: readonly SeedCompany[], now: number): Promise<LeadSeedCounts> {
  return immediate(db, (trx) => seedLeads(trx, p, companies, now));
}
