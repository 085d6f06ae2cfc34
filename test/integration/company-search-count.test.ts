// How many companies a search reports past its page: up to TOTAL_COUNTED past it, after the
// same filters as the page (the whole-name check of a place and the revenue filter included), on
// both backends.
import { describe, expect, it } from "vitest";
import { searchCompanies, TOTAL_COUNTED } from "../../src/core/companies/search.ts";
import type { Store } from "../../src/core/db/connection.ts";
import { runningOrgnr } from "../helpers/bolagsverket.ts";
import { testStore } from "../helpers/store.ts";

const AT = "2026-01-01T00:00:00.000Z";

/** `n` companies named "Lagerbolag …" in `town`, numbered from `from`. */
async function addCompanies(store: Store, from: number, n: number, town: string, extra: { revenue_tkr?: number | null } = {}) {
  for (let i = 0; i < n; i += 400) {
    const rows = Array.from({ length: Math.min(400, n - i) }, (_, k) => ({
      orgnr: runningOrgnr(4_000_000, from + i + k),
      name: `Lagerbolag ${from + i + k} AB`,
      status: "active" as const,
      sni_codes: '["52100"]',
      reklamsparr: 0 as const,
      town,
      municipality: town === "Stockholm-Arlanda" ? "Sigtuna" : town,
      source: "csv" as const,
      created_at: AT,
      updated_at: AT,
      ...extra,
    }));
    await store.db.insertInto("company").values(rows).execute();
  }
}

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
