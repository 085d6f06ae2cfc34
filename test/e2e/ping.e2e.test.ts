import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pingServer } from "../helpers/ping-server.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("--ping-url: Healthchecks-style dead man's switch", () => {
  it("enqueue and process ping /start, then success, with one run id per run", async () => {
    const { url, pings } = await pingServer();
    const db = join(tempDir(), "p.db");
    await runJson(["jobs", "add", "noop"], db);
    const e = await runCli(["enqueue", "--ping-url", url], db);
    expect(e.code, e.stderr).toBe(0);
    const p = await runCli(["process", "--ping-url", url], db);
    expect(p.code, p.stderr).toBe(0);
    expect(pings.map((x) => `${x.method} ${x.path}`)).toEqual([
      "POST /ping/abc-123/start",
      "POST /ping/abc-123",
      "POST /ping/abc-123/start",
      "POST /ping/abc-123",
    ]);
    expect(pings[0]?.rid).toMatch(UUID);
    expect(pings[0]?.rid).toBe(pings[1]?.rid);
    expect(pings[2]?.rid).toBe(pings[3]?.rid);
    expect(pings[0]?.rid).not.toBe(pings[2]?.rid);
    expect(pings[3]?.body).toBe("leadjobs process exit 0");
  });

  it("a ping that fails never fails the run: endpoint down, or never answering", async () => {
    const db = join(tempDir(), "d.db");
    const down = await pingServer();
    await new Promise<void>((r) => down.server.close(() => r()));
    const r1 = await runCli(["enqueue", "--ping-url", down.url], db);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toBe("");

    const hanging = await pingServer({ hang: true });
    const r2 = await runCli(["--verbose", "process", "--ping-url", hanging.url], db, { env: { LEADJOBS_PING_TIMEOUT: "300ms" } });
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toMatch(/ping .*\/start\?rid=.* failed: no answer within 300 ms \(the run is not affected\)/);
    expect(hanging.pings.map((x) => x.path)).toEqual(["/ping/abc-123/start", "/ping/abc-123"]);
  });

  it("a URL that is not http(s) is bad input", async () => {
    const r = await runCli(["enqueue", "--ping-url", "ftp://example.com/x"], join(tempDir(), "u.db"));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('leadjobs: invalid --ping-url "ftp://example.com/x": use http:// or https://');
  });
});
