// A PostgreSQL command's start-up does not load Node's fetch (undici): pg 8 probes `new Response`
// when it loads on Node 20, and that cost every worker and command about 20 ms
// (src/core/db/pg-import.ts). The probe is kept away from Response while pg loads, and Response
// works as before afterwards.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/core/db/connection.ts";
import { onPostgres, testDatabase } from "../helpers/backend.ts";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

/** Runs the binary and reports, as it exits, whether Node's fetch implementation was loaded. */
async function loadsFetch(args: string[], db: string): Promise<{ code: number | null; stderr: string; fetch: boolean; response: boolean }> {
  // Response is looked at only after the module list: that first look loads fetch.
  const probe = `process.on("exit",()=>{const f=process.moduleLoadList.some((m)=>m.includes("undici"));process.stderr.write("\\nundici:"+f+" response:"+typeof new Response("x").text+"\\n")})`;
  const r = await runCli(args, db, { nodeArgs: ["--import", `data:text/javascript,${encodeURIComponent(probe)}`] });
  return { code: r.code, stderr: r.stderr, fetch: /undici:true/.test(r.stderr), response: /response:function/.test(r.stderr) };
}

describe.skipIf(!onPostgres)("a PostgreSQL command's start-up", () => {
  it("does not load fetch for process, enqueue, status or jobs add, and Response still works after", async () => {
    const db = join(tempDir(), "startup.db");
    await (await openStore(testDatabase(db), { busyTimeoutMs: 5000 })).close();
    for (const args of [["process"], ["enqueue"], ["status"], ["jobs", "add", "noop"]]) {
      const r = await loadsFetch(args, db);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      expect(r.fetch, args.join(" ")).toBe(false);
      expect(r.response, args.join(" ")).toBe(true);
    }
  });
});
