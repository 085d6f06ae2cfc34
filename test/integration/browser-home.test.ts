import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeChromiumHome, removeChromiumHome } from "../../src/core/integrations/web/browser-home.ts";
import { tempDir } from "../helpers/store.ts";

/** A pid no process has any more. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "0"]);
  return r.pid as number;
}

describe("a Chromium launch's folder", () => {
  it("goes in the first folder that takes one, named after this process", () => {
    const file = join(tempDir(), "not-a-folder");
    writeFileSync(file, "");
    const fallback = tempDir();
    const home = makeChromiumHome([file, fallback]);
    expect(dirname(home)).toBe(fallback);
    expect(home).toMatch(new RegExp(`/leadjobs-chromium-${process.pid}-\\w+$`));
    expect(() => makeChromiumHome([file])).toThrow(/ENOTDIR/);
  });

  it("removes the folders of processes that are gone, and keeps those of running ones and other files", () => {
    const parent = tempDir();
    const orphan = join(parent, `leadjobs-chromium-${deadPid()}-abc123`);
    const running = join(parent, `leadjobs-chromium-${process.pid}-def456`);
    const unrelated = join(parent, "leadjobs-chromium-old");
    for (const d of [orphan, running, unrelated]) mkdirSync(join(d, "profile", "Default"), { recursive: true });
    const home = makeChromiumHome([parent]);
    expect(readdirSync(parent).sort()).toEqual([home, running, unrelated].map((d) => d.slice(parent.length + 1)).sort());
  });

  it("is removed only once Chromium has exited", async () => {
    const home = makeChromiumHome([tempDir()]);
    writeFileSync(join(home, "Local State"), "{}");
    const chromium = spawn(process.execPath, ["-e", "setTimeout(() => {}, 300)"]);
    await new Promise((resolve) => chromium.once("spawn", resolve));
    removeChromiumHome(home, chromium);
    expect(existsSync(home)).toBe(true);
    await new Promise((resolve) => chromium.once("exit", resolve));
    await expect.poll(() => existsSync(home)).toBe(false);
  });
});
