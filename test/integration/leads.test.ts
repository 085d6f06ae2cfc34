import { describe, expect, it } from "vitest";
import { addLead, assignLeads } from "../../src/core/leads/leads.ts";
import { leadsSearchPayload } from "../../src/core/leads/payloads.ts";
import { searchAndCreateLeads } from "../../src/core/leads/search-leads.ts";
import { addRule, addTerminal } from "../../src/core/leads/terminals.ts";
import { testStore } from "../helpers/store.ts";

const now = Date.parse("2026-05-01T08:00:00Z");

describe("assigning leads by the rules", () => {
  it("a lead no rule takes, with no default terminal, stays on its terminal; a lead named twice is assigned once", async () => {
    const store = await testStore();
    await store.db
      .insertInto("company")
      .values([
        {
          orgnr: "5560160680",
          name: "Åkesson Logistik AB",
          status: "active",
          sni_codes: "[]",
          reklamsparr: 0,
          town: "Göteborg",
          municipality: "Göteborg",
          source: "csv",
          created_at: "2026-01-01T00:00:00.000Z",
          updated_at: "2026-01-01T00:00:00.000Z",
        },
        {
          orgnr: "5566778899",
          name: "Webbia Handel AB",
          status: "active",
          sni_codes: '["47910"]',
          reklamsparr: 0,
          town: "Umeå",
          municipality: "Umeå",
          source: "csv",
          created_at: "2026-01-01T00:00:00.000Z",
          updated_at: "2026-01-01T00:00:00.000Z",
        },
      ])
      .execute();
    await addTerminal(store.db, { name: "Göteborg Terminal", isDefault: false, actor: "test", now });
    await addTerminal(store.db, { name: "E-handel Terminal", isDefault: false, actor: "test", now });
    await addRule(store.db, { terminal: "E-handel Terminal", kind: "sni", value: "4791", actor: "test", now });
    const kept = await addLead(store.db, { orgnr: "5560160680", terminal: "Göteborg Terminal", actor: "anna", now });
    const moved = await addLead(store.db, { orgnr: "5566778899", terminal: "Göteborg Terminal", actor: "anna", now });

    const r = await assignLeads(store.db, { refs: [String(kept.id), "556016-0680", String(moved.id), "5566778899"], actor: "anna", now });
    expect(r).toEqual([
      {
        id: kept.id,
        orgnr: "5560160680",
        terminal: "Göteborg Terminal",
        reason: "no rule matched and there is no default terminal",
        changed: false,
      },
      { id: moved.id, orgnr: "5566778899", terminal: "E-handel Terminal", reason: expect.stringMatching(/SNI 4791\*/), changed: true },
    ]);
    const lead = await store.db.selectFrom("lead").select(["id", "terminal_id"]).orderBy("id").execute();
    expect(lead.map((l) => l.terminal_id)).toEqual([1, 2]);
    const events = await store.db
      .selectFrom("lead_event")
      .select(["lead_id", "kind"])
      .where("kind", "=", "assigned")
      .orderBy("id")
      .execute();
    expect(events).toEqual([
      { lead_id: kept.id, kind: "assigned" },
      { lead_id: moved.id, kind: "assigned" },
      { lead_id: moved.id, kind: "assigned" },
    ]);
  });
});

describe("leads.search on a retry", () => {
  it("never creates more than max_results leads, even when a better match has appeared since the first attempt", async () => {
    const store = await testStore();
    const company = (orgnr: string, name: string, description: string) => ({
      orgnr,
      name,
      description,
      status: "active" as const,
      sni_codes: "[]",
      reklamsparr: 0 as const,
      town: "Umeå",
      municipality: "Umeå",
      source: "csv",
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: "2026-01-01T00:00:00.000Z",
    });
    const orgnrs = [
      "5560160680",
      "5566778899",
      "5560125790",
      "5567549984",
      "5568998115",
      "5766426505",
      "2021005489",
      "5560000001",
      "5299999994",
      "5560000019",
      "5560000027",
    ];
    await store.db
      .insertInto("company")
      .values(orgnrs.slice(0, 10).map((o, i) => company(o, `Bolag ${i} AB`, "Lager och logistik i Norrland")))
      .execute();
    const payload = leadsSearchPayload.parse({ search_query: "logistik", max_results: 10, auto_assign: false });
    const signal = new AbortController().signal;
    const first = await searchAndCreateLeads(store.db, payload, { jobId: 7, now, signal });
    expect(first.created).toBe(10);
    // Before the retry, a company whose name matches (ranked first) is imported.
    await store.db
      .insertInto("company")
      .values(company(orgnrs[10]!, "Norrlands Logistik AB", "Åkeri"))
      .execute();
    const retry = await searchAndCreateLeads(store.db, payload, { jobId: 7, now, signal });
    expect(retry).toMatchObject({ created: 10 });
    expect(retry.leadIds.sort()).toEqual(first.leadIds.sort());
    expect(
      await store.db
        .selectFrom("lead")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 10 });
  });
});
