// Company search semantics on both backends: how many companies a search reports past its page
// (up to TOTAL_COUNTED past it, after the same filters as the page: the whole-name check of a
// place and the revenue filter included), and a word searched with an SNI filter inside its
// industry, whose widest tier is then the filter's companies (fts-query.ts impliedBySniFilter),
// with the companies and tiers the full expression finds.
import type { Insertable } from "kysely";
import { describe, expect, it } from "vitest";
import { companyMatches, iterateCompanies, searchCompanies, TOTAL_COUNTED } from "../../src/core/companies/search.ts";
import type { CompanyTable } from "../../src/core/companies/schema.ts";
import type { Store } from "../../src/core/db/connection.ts";
import { runningOrgnr } from "../helpers/bolagsverket.ts";
import { testStore } from "../helpers/store.ts";

const AT = "2026-01-01T00:00:00.000Z";

/** An active company numbered `i`, with `fields` over the rest. */
const companyRow = (i: number, fields: Partial<Insertable<CompanyTable>> & { name: string }): Insertable<CompanyTable> => ({
  orgnr: runningOrgnr(0, i),
  status: "active",
  sni_codes: "[]",
  reklamsparr: 0,
  source: "csv",
  created_at: AT,
  updated_at: AT,
  ...fields,
});

/** `n` companies named "Lagerbolag …" in `town`, numbered from `from`. */
async function addCompanies(store: Store, from: number, n: number, town: string, extra: { revenue_tkr?: number | null } = {}) {
  for (let i = 0; i < n; i += 400) {
    const rows = Array.from({ length: Math.min(400, n - i) }, (_, k) =>
      companyRow(4_000_000 + from + i + k, {
        name: `Lagerbolag ${from + i + k} AB`,
        sni_codes: '["52100"]',
        town,
        municipality: town === "Stockholm-Arlanda" ? "Sigtuna" : town,
        ...extra,
      }),
    );
    await store.db.insertInto("company").values(rows).execute();
  }
}

const COMPANIES: Array<[name: string, sni: string, description: string | null]> = [
  ["Lager Nord AB", "52100", null], // the word in the name, in the industry
  ["Foo Logistik AB", "52290", "Lagerhållning åt e-handlare"], // in the description, in the industry
  ["Lagerbolaget AB", "10000", null], // the word, not the industry
  ["Bar AB", "52100", null], // the industry alone
  ["Baz AB", "47910", "lager av kläder"], // the word, not the industry
];

describe("the count of a search past its page", () => {
  it("counts only companies that pass the whole-name check, however many the index finds first", async () => {
    const store = await testStore();
    // First in the index's order: more near misses than the count reads past the page.
    await addCompanies(store, 0, TOTAL_COUNTED + 200, "Stockholm-Arlanda");
    await addCompanies(store, 5000, 300, "Stockholm");
    const r = await searchCompanies(store.db, { query: "lagerbolag", town: "Stockholm", limit: 10 });
    expect(r.hits).toHaveLength(10);
    expect(r.hits.every((h) => h.town === "Stockholm")).toBe(true);
    expect({ total: r.total, capped: r.totalCapped, more: r.more }).toEqual({ total: 300, capped: false, more: true });
    const last = await searchCompanies(store.db, { query: "lagerbolag", town: "Stockholm", limit: 10, offset: 295 });
    expect({ hits: last.hits.length, total: last.total, more: last.more }).toEqual({ hits: 5, total: 300, more: false });
    const arlanda = await searchCompanies(store.db, { query: "lagerbolag", town: "Stockholm-Arlanda", limit: 10 });
    expect({ total: arlanda.total, capped: arlanda.totalCapped }).toEqual({ total: 10 + TOTAL_COUNTED, capped: true });
  });

  it("stops at TOTAL_COUNTED past the page, and counts the revenue filter", async () => {
    const store = await testStore();
    await addCompanies(store, 0, TOTAL_COUNTED + 100, "Uppsala");
    await addCompanies(store, 5000, 40, "Uppsala", { revenue_tkr: 9000 });
    const all = await searchCompanies(store.db, { query: "lagerbolag", limit: 20, offset: 40 });
    expect({ total: all.total, capped: all.totalCapped }).toEqual({ total: 60 + TOTAL_COUNTED, capped: true });
    const rich = await searchCompanies(store.db, { query: "lagerbolag", minRevenueTkr: 5000, limit: 20 });
    expect({ total: rich.total, capped: rich.totalCapped, more: rich.more }).toEqual({ total: 40, capped: false, more: true });
    // Every tier's companies once: the name tier's and the rest's (the SNI code's words).
    const none = await searchCompanies(store.db, { query: "lagerbolag", minRevenueTkr: 10_000, limit: 20 });
    expect({ total: none.total, hits: none.hits.length, more: none.more }).toEqual({ total: 0, hits: 0, more: false });
  });
});

describe("a search longer than one page of keys (5,000)", () => {
  it("lists every matching company once, rewritten ones included, inactive and reklamspärr ones left out", async () => {
    const store = await testStore();
    await addCompanies(store, 0, 5300, "Luleå");
    const nr = (i: number) => runningOrgnr(0, 4_000_000 + i);
    const every = (step: number, from: number) => Array.from({ length: Math.floor(5300 / step) }, (_, k) => nr(from + k * step));
    // Rewritten rows move in PostgreSQL's storage, where a search pages: none lost, none twice.
    await store.db.updateTable("company").set({ description: "flyttad" }).where("orgnr", "in", every(3, 0)).execute();
    const optedOut = every(50, 1);
    const deregistered = every(40, 2);
    await store.db.updateTable("company").set({ reklamsparr: 1 }).where("orgnr", "in", optedOut).execute();
    await store.db.updateTable("company").set({ status: "deregistered" }).where("orgnr", "in", deregistered).execute();
    const expected = (left: string[]) =>
      Array.from({ length: 5300 }, (_, i) => nr(i))
        .filter((o) => !left.includes(o))
        .sort();
    const orgnrs = (hits: Array<{ orgnr: string }>) => hits.map((h) => h.orgnr).sort();

    const all = await searchCompanies(store.db, { query: "lagerbolag", limit: null });
    expect(orgnrs(all.hits)).toEqual(expected(optedOut));
    const active = await searchCompanies(store.db, { query: "lagerbolag", active: true, limit: null });
    expect(orgnrs(active.hits)).toEqual(expected([...optedOut, ...deregistered]));
    const walked: string[] = [];
    for await (const hit of iterateCompanies(store.db, { query: "lagerbolag", active: true })) walked.push(hit.orgnr);
    expect(walked.sort()).toEqual(orgnrs(active.hits));
    // A page past the first 5,000 keys: the same companies as the unlimited search lists there.
    const deep = await searchCompanies(store.db, { query: "lagerbolag", active: true, limit: 20, offset: 5000 });
    expect(deep.hits.map((h) => h.orgnr)).toEqual(active.hits.slice(5000, 5020).map((h) => h.orgnr));
    expect({ total: deep.total, more: deep.more }).toEqual({ total: active.hits.length, more: true });
  });
});

describe("a word with an SNI filter inside its industry", () => {
  it("finds the word's companies first, then the rest of the filter's, and no one else", async () => {
    const store = await testStore();
    await store.db
      .insertInto("company")
      .values(
        COMPANIES.map(([name, sni, description], i) => companyRow(5_000_000 + i, { name, description, sni_codes: JSON.stringify([sni]) })),
      )
      .execute();
    const [name, all] = await companyMatches(store.db, { query: "lager", sni: ["52"] });
    expect(name?.match).toMatch(/lager/);
    expect(all?.match).not.toMatch(/lager/);
    const r = await searchCompanies(store.db, { query: "lager", sni: ["52"], limit: null });
    expect(r.hits.map((h) => `${h.name} ${h.matched}`)).toEqual(["Lager Nord AB name", "Foo Logistik AB all", "Bar AB all"]);
    expect({ total: r.total, more: r.more }).toEqual({ total: 3, more: false });
  });
});

describe("a page across both tiers", () => {
  it("lists the name tier first at every offset, though the other tier's companies come first in key order", async () => {
    const store = await testStore();
    // The description tier's companies are written first: lower rowids and numbers than the name tier's.
    const described = Array.from({ length: 6 }, (_, i) =>
      companyRow(6_000_000 + i, { name: `Firma ${i} AB`, description: "lagerlokaler", town: i % 2 ? "Lund" : "Malmö" }),
    );
    const named = Array.from({ length: 6 }, (_, i) =>
      companyRow(6_100_000 + i, { name: `Lagerfirma ${i} AB`, town: i % 2 ? "Lund" : "Malmö" }),
    );
    await store.db.insertInto("company").values(described).execute();
    await store.db.insertInto("company").values(named).execute();
    const order = (r: { hits: Array<{ name: string; matched: string }> }) => r.hits.map((h) => `${h.name} ${h.matched}`);

    const all = await searchCompanies(store.db, { query: "lager", limit: null });
    expect(order(all)).toEqual([...named.map((c) => `${c.name} name`), ...described.map((c) => `${c.name} all`)]);
    for (const town of [undefined, "Lund"]) {
      const whole = order(await searchCompanies(store.db, { query: "lager", town, limit: null }));
      const paged: string[] = [];
      for (let offset = 0; offset < whole.length; offset += 4) {
        const page = await searchCompanies(store.db, { query: "lager", town, limit: 4, offset });
        expect({ total: page.total, more: page.more }).toEqual({ total: whole.length, more: offset + 4 < whole.length });
        paged.push(...order(page));
      }
      expect(paged).toEqual(whole);
    }
    const lund = await searchCompanies(store.db, { query: "lager", town: "Lund", limit: 2, offset: 2 });
    expect(order(lund)).toEqual(["Lagerfirma 5 AB name", "Firma 1 AB all"]);
  });
});

describe("words of one letter", () => {
  it('a letter before a word is read with it: "e handel" finds what "e-handel" finds', async () => {
    const store = await testStore();
    await store.db
      .insertInto("company")
      .values([
        companyRow(4_100_001, { name: "Nätbutiken AB", sni_codes: '["47910"]' }), // the industry alone
        companyRow(4_100_002, { name: "Kläder Online AB", sni_codes: '["14130"]', description: "Försäljning via e-handel" }),
        companyRow(4_100_003, { name: "Handelshuset AB", sni_codes: '["46900"]' }),
      ])
      .execute();
    const found = async (query: string) => (await searchCompanies(store.db, { query, limit: 10 })).hits.map((h) => h.name).sort();
    const eHandel = await found("e-handel");
    expect(eHandel).toEqual(["Kläder Online AB", "Nätbutiken AB"]);
    expect(await found("e handel")).toEqual(eHandel);
    expect(await found("E  Handel")).toEqual(eHandel);
  });
});
