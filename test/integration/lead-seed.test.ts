import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/core/config.ts";
import { loadJobType } from "../../src/job-types.ts";
import { parsePayload } from "../../src/core/jobs/payload.ts";
import { leadScheduleDefinitions } from "../../src/core/seed/leads.ts";
import { seedDatabase } from "../../src/core/seed/seed.ts";
import { onPostgres } from "../helpers/backend.ts";
import { query } from "../helpers/query.ts";
import { tempDir, testStore } from "../helpers/store.ts";

describe("seeded lead data", () => {
  it("terminals with rules and assigned, analysed leads; a second run adds nothing", async () => {
    const path = join(tempDir(), "seed.db");
    const store = await testStore(path);
    const o = { seed: 3, companies: 600, users: 4, tracked: 50, reset: false, now: Date.parse("2026-05-01T08:00:00Z") };
    const first = await seedDatabase(store.db, o);
    expect(first).toMatchObject({ terminals: 6, leads: 36 });
    const count = (text: string) => Number(Object.values(query(path, text)[0] ?? {})[0]);
    const sniCodes = onPostgres ? "jsonb_array_elements_text(c.sni_codes) j(value)" : "json_each(c.sni_codes) j";
    expect(count("select count(*) from terminal_rule")).toBe(11);
    expect(count("select count(*) from terminal where is_default = 1")).toBe(1);
    expect(count("select count(*) from lead where terminal_id is null")).toBe(0);
    expect(count("select count(*) from lead l join company c on c.orgnr = l.orgnr where c.reklamsparr = 1 or c.status <> 'active'")).toBe(
      0,
    );
    expect(count("select count(*) from lead_analysis")).toBeGreaterThan(20);
    expect(
      count(
        `select count(*) from lead where terminal_id = (select id from terminal where name = 'E-handel Terminal') and orgnr not in (select c.orgnr from company c, ${sniCodes} where j.value like '4791%')`,
      ),
    ).toBe(0);
    const again = await seedDatabase(store.db, o);
    expect(again).toEqual(first);
    expect(count("select count(*) from terminal_rule")).toBe(11);
    expect(count("select count(*) from lead_event where kind = 'created'")).toBe(36);
    const reset = await seedDatabase(store.db, { ...o, reset: true });
    expect(reset.leads).toBe(36);
  });

  it("the seed spec's three lead schedules have valid payloads and both timing forms", async () => {
    const defs = leadScheduleDefinitions();
    expect(defs.map((d) => [d.cron, d.at, d.days])).toEqual([
      ["0 22 * * 1-5", "22:00", "weekdays"],
      ["0 23 * * 6,0", "23:00", "weekends"],
      ["0 6 * * 1", "06:00", ["mon"]],
    ]);
    for (const d of defs) {
      const def = await loadJobType(d.type);
      expect(() => parsePayload(def, d.payload)).not.toThrow();
      expect(def.estimateRunCost?.(parsePayload(def, d.payload), resolveConfig({}, {}, {}))).toMatchObject({
        currency: "USD",
        amountMinor: 0,
      });
    }
  });
});
