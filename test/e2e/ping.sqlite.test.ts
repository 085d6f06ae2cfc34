import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { pingServer } from "../helpers/ping-server.ts";
import { tempDir } from "../helpers/store.ts";

// What only SQLite has (its file, its locks, its pragmas); the rest of ping.e2e.test.ts runs on both backends.
describe("--ping-url: Healthchecks-style dead man's switch", () => {
  it("a failed run pings /<exit code>; exit 75 (database busy) pings /log", async () => {
    const { url, pings } = await pingServer();
    const db = join(tempDir(), "f.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"failTimes":1}', "--max-attempts", "1"], db);
    const died = await runCli(["process", "--ping-url", url], db);
    expect(died.code).toBe(1);
    expect(pings.map((x) => x.path)).toEqual(["/ping/abc-123/start", "/ping/abc-123/1"]);

    const holder = new BetterSqlite3(db);
    holder.exec("begin immediate");
    try {
      const busy = await runCli(["enqueue", "--ping-url", url], db, { env: { LEADJOBS_BUSY_TIMEOUT: "300ms" } });
      expect(busy.code).toBe(75);
    } finally {
      holder.exec("rollback");
      holder.close();
    }
    expect(pings.slice(2).map((x) => x.path)).toEqual(["/ping/abc-123/start", "/ping/abc-123/log"]);
    expect(pings[3]?.body).toMatch(/^leadjobs enqueue exit 75: database .* is locked/);

    const usage = await runCli(["process", "--max-runtime", "soon", "--ping-url", url], db);
    expect(usage.code).toBe(2);
    expect(pings.slice(4).map((x) => x.path)).toEqual(["/ping/abc-123/start", "/ping/abc-123/2"]);
  });
});
