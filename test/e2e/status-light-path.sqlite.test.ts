import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { loadedModules } from "../helpers/loaded-modules.ts";
import { writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

// `status` runs from dist/status.js without commander (src/fast/status.ts). `--verbose` never
// takes that path: it runs the full CLI, the reference every answer is compared with.

const NOW = "2026-12-05T12:00:00.000Z";
/** Over an hour after the seed and the tick: their jobs are due, and no age is on the edge of a limit. */
const LATER = "2026-12-05T13:07:30.000Z";

/** The clock runs on from --now while a command works: durations and instants differ by milliseconds. */
const steady = (text: string) =>
  text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<instant>")
    .replace(/"(\w*Ms)": \d+/g, '"$1": <ms>')
    .replace(/\b\d+(ms|s|m|h|d)\b/g, "<duration>");

describe("status without commander", () => {
  it("prints what the full command prints, text and --json, with its exit code", async () => {
    const db = join(tempDir(), "q.db");
    await runJson(["seed", "--companies", "60", "--tracked", "20", "--answers", "2", "--now", NOW], db);
    await runJson(["enqueue", "--now", NOW], db);
    await runJson(["jobs", "add", "noop", "--run-at", "2099-01-01T00:00:00Z"], db);
    writeSync(db, "update job set state = 'dead', finished_at = ?, last_error = 'boom' where id = 1", NOW);
    for (const args of [[], ["--check"], ["--json"], ["--check", "--json"], ["--check", "--max-pending-age", "2h", "--dead-window=1h"]]) {
      const light = await loadedModules(["status", ...args, "--now", LATER], db);
      expect(light.loaded, args.join(" ")).toEqual(["status.js"]);
      const full = await runCli(["--verbose", "status", ...args, "--now", LATER], db);
      expect(light.code, args.join(" ")).toBe(full.code);
      expect(steady(light.stdout)).toBe(steady(full.stdout));
      expect(light.stderr).toBe(full.stderr);
    }
    const check = await loadedModules(["status", "--check"], db);
    expect(check.code).toBe(1); // the seeded back office has never run its alerts
    expect(check.stdout).toMatch(/health: UNHEALTHY/);
  });

  it("a bad option, a missing or newer database and PostgreSQL go to the full CLI, which reports them", async () => {
    const db = join(tempDir(), "q.db");
    await createDb(db);

    const bad = await loadedModules(["status", "--check", "--max-pending-age", "soon"], db);
    expect(bad.loaded).toContain("cli.js");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-pending-age/);

    const unknown = await loadedModules(["status", "--verbose-ish"], db);
    expect(unknown.loaded).toContain("cli.js");
    expect(unknown.code).toBe(2);

    const missing = await loadedModules(["status"], join(tempDir(), "none.db"));
    expect(missing.loaded).toContain("cli.js");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no database at/);

    const newer = join(tempDir(), "newer.db");
    await createDb(newer);
    writeSync(newer, "insert into schema_migration values ('9999_future', '2030-01-01T00:00:00.000Z')");
    const refused = await loadedModules(["status", "--check"], newer);
    expect(refused.loaded).toContain("cli.js");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/written by a newer leadjobs \(unknown migration 9999_future\); it was not modified/);

    const postgres = await loadedModules(["--db", "postgres://leadjobs@127.0.0.1:1/none", "status"], db);
    expect(postgres.loaded).toContain("cli.js");
    expect(postgres.code).not.toBe(0);
  });
});
