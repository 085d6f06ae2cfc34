import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, cliEnv, finished, runCli, runJson } from "../helpers/cli.ts";
import { loadedModules } from "../helpers/loaded-modules.ts";
import { query } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

const runs = (db: string) =>
  query<{ command: string; exit_code: number; summary: string; finished_at: string | null }>(
    db,
    "select command, exit_code, summary, finished_at from command_run where command = 'process' order by id",
  );

describe("the idle cron path", () => {
  it("process with nothing due answers without loading the CLI bundle, and records the run as the full command does", async () => {
    const db = join(tempDir(), "q.db");
    await runJson(["jobs", "add", "noop", "--run-at", "2099-01-01T00:00:00Z"], db); // pending, not due

    const fast = await loadedModules(["process", "--max-runtime", "4m", "--json"], db);
    expect(fast.code).toBe(0);
    expect(fast.loaded).toEqual(["fast.js"]);
    // --verbose never takes the fast path: the full worker runs and records its own summary.
    const full = await runCli(["--verbose", "process", "--max-runtime", "4m", "--json"], db);
    expect(full.code, full.stderr).toBe(0);

    const strip = ({ durationMs, ...rest }: { durationMs: number }) => rest;
    expect(Object.keys(JSON.parse(fast.stdout))).toEqual(Object.keys(JSON.parse(full.stdout)));
    expect(strip(JSON.parse(fast.stdout))).toEqual(strip(JSON.parse(full.stdout)));
    const [a, b] = runs(db);
    expect(a && b).toBeTruthy();
    expect({ ...a, summary: strip(JSON.parse(a!.summary)), finished_at: typeof a!.finished_at }).toEqual({
      ...b,
      summary: strip(JSON.parse(b!.summary)),
      finished_at: typeof b!.finished_at,
    });
    expect(JSON.parse(a!.summary)).toEqual(JSON.parse(fast.stdout));

    const check = await runCli(["status", "--check"], db);
    expect(check.code, check.stdout).toBe(0);
  });

  it("a due job or an unknown type goes to the full command", async () => {
    const db = join(tempDir(), "q.db");
    await runJson(["jobs", "add", "noop"], db);
    const due = await loadedModules(["process", "--json"], db);
    expect(due.loaded).toContain("cli.js");
    expect(JSON.parse(due.stdout)).toMatchObject({ claimed: 1, completed: 1 });

    const bad = await runCli(["process", "--type", "nope"], db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown job type "nope"/);

    await runJson(["jobs", "add", "noop"], db);
    const other = await loadedModules(["process", "--type", "company.refresh", "--json"], db);
    expect(other.loaded).toEqual(["fast.js"]); // the due job is not of this type
    expect(query(db, "select state from job order by id")).toEqual([{ state: "completed" }, { state: "pending" }]);
  });

  it("a reader that went away is not an error of the fast path either", async () => {
    const db = join(tempDir(), "q.db");
    await createDb(db);
    const { spawn } = await import("node:child_process");
    // The reader closes its end at once; the binary writes later, into a pipe nobody reads (EPIPE).
    const script = `{ "${process.execPath}" "${BIN}" process --json; echo "exit=$?" >&2; } | { exec 0<&-; sleep 2; }`;
    const r = await finished(spawn("sh", ["-c", script], { cwd: ROOT, env: cliEnv(db), stdio: ["pipe", "pipe", "pipe"] }));
    expect(r.stderr).toBe("exit=0\n");
    expect(runs(db)).toHaveLength(1);
  });

  it("--version answers from the fast path too", async () => {
    const r = await loadedModules(["--version"], join(tempDir(), "none.db"));
    expect(r.loaded).toEqual(["fast.js"]);
    expect(r.stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`);
  });
});
