import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runJson } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

// PostgreSQL's jsonb keeps an object's keys in an order of its own (shortest first); --json
// documents that print stored JSON must read the same on SQLite.
const jsonbOrder = (keys: string[]) => [...keys].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));

describe("stored JSON in --json output: one key order on both backends", () => {
  it("leads show --json: an analysis's output", async () => {
    const db = join(tempDir(), "leads.db");
    await runJson(["seed", "--companies", "100", "--tracked", "0", "--answers", "0", "--now", "2026-03-02T09:00:00Z"], db);
    await runJson(["leads", "analyze", "1", "--provider", "rules"], db);
    const show = await runJson(["leads", "show", "1"], db);
    const keys = Object.keys(show.analyses[0].output);
    expect(keys).toContain("fit_score");
    expect(keys).toEqual(jsonbOrder(keys));
  });

  it("schedule list and show --json: a schedule's payload and its audit trail", async () => {
    const db = join(tempDir(), "schedules.db");
    const payload = { sleepMs: 0, failTimes: 0 }; // given with failTimes first; jsonb puts the shorter name first
    await runJson(
      [
        "schedule",
        "add",
        "--name",
        "nightly",
        "--type",
        "noop",
        "--payload",
        JSON.stringify({ failTimes: 0, sleepMs: 0 }),
        "--at",
        "02:00",
        "--days",
        "daily",
      ],
      db,
    );
    const [listed] = (await runJson(["schedule", "list"], db)).schedules;
    expect(Object.keys(listed.payload)).toEqual(jsonbOrder(Object.keys(payload)));
    const show = await runJson(["schedule", "show", "nightly"], db);
    expect(Object.keys(show.schedule.payload)).toEqual(jsonbOrder(Object.keys(payload)));
    const added = show.audit.find((a: { action: string }) => a.action === "add");
    expect(Object.keys(added.changes)).toEqual(jsonbOrder(Object.keys(added.changes)));
    expect(Object.keys(added.changes.payload)).toEqual(jsonbOrder(Object.keys(payload)));
  });
});
