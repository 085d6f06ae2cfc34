// A word that names an industry, searched with an SNI filter inside that industry: the filter
// implies the word's industry, so the widest tier is the filter's companies (fts-query.ts
// impliedBySniFilter); the companies and their tiers are those the full expression finds.
import { describe, expect, it } from "vitest";
import { companyMatches, searchCompanies } from "../../src/core/companies/search.ts";
import { runningOrgnr } from "../helpers/bolagsverket.ts";
import { testStore } from "../helpers/store.ts";

const AT = "2026-01-01T00:00:00.000Z";
const COMPANIES: Array<[name: string, sni: string, description: string | null]> = [
  ["Lager Nord AB", "52100", null], // the word in the name, in the industry
  ["Foo Logistik AB", "52290", "Lagerhållning åt e-handlare"], // in the description, in the industry
  ["Lagerbolaget AB", "10000", null], // the word, not the industry
  ["Bar AB", "52100", null], // the industry alone
  ["Baz AB", "47910", "lager av kläder"], // the word, not the industry
];

describe("a word with an SNI filter inside its industry", () => {
  it("finds the word's companies first, then the rest of the filter's, and no one else", async () => {
    const store = await testStore();
    await store.db
      .insertInto("company")
      .values(
        COMPANIES.map(([name, sni, description], i) => ({
          orgnr: runningOrgnr(5_000_000, i),
          name,
          description,
          status: "active" as const,
          sni_codes: JSON.stringify([sni]),
          reklamsparr: 0 as const,
          source: "csv" as const,
          created_at: AT,
          updated_at: AT,
        })),
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
