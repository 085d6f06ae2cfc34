import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, cliEnv, finished, ROOT, runCli, runJson } from "../helpers/cli.ts";
import { createDb, tempDir } from "../helpers/store.ts";
import { requireTools } from "../helpers/system.ts";

describe("a user's Wappalyzer-format fingerprint directory", () => {
  it("is loaded next to ours (malformed entries skipped and counted); a broken file is bad input", async () => {
    const dir = join(tempDir(), "wappalyzer");
    mkdirSync(join(dir, "technologies"), { recursive: true });
    writeFileSync(
      join(dir, "categories.json"),
      // A category that is no object, or whose id is no number, is left out.
      JSON.stringify({ 6: { name: "Ecommerce", priority: 1 }, 59: { name: "JavaScript libraries" }, 7: null, x: { name: "Odd" } }),
    );
    writeFileSync(
      join(dir, "technologies", "a.json"),
      JSON.stringify({
        "Acme Shop": { cats: [6], scriptSrc: "/acme-shop(?:\\.min)?\\.js\\?v=([\\d.]+)\\;version:\\1", meta: { generator: "^Acme" } },
        "Broken Entry": "not an object",
        // Each has one field of the wrong shape: none of them is a technology.
        "Cats Not A List": { cats: "x", html: ["odd"] },
        "Cat Not A Number": { cats: [6, "x"], html: ["odd"] },
        "Pattern Not A String": { cats: [6], html: [5] },
        "Patterns Not A List": { cats: [6], scriptSrc: { src: "odd" } },
        "Meta Pattern Not A String": { cats: [6], meta: { generator: 5 } },
        "Dom Spec Not An Object": { cats: [6], dom: { "#odd": "exists" } },
        "Implies Not Names": { cats: [6], html: ["odd"], implies: { name: "Acme Shop" } },
        "Required Category Not A Number": { cats: [6], html: ["odd"], requiresCategory: ["x"] },
      }),
    );
    const list = await runJson(["web", "fingerprints", "--fingerprints", dir], undefined);
    expect(list.sources[1]).toEqual({ dir, technologies: 1, skipped: 9 });
    expect(list.technologies.filter((t: { source: string }) => t.source === dir).map((t: { name: string }) => t.name)).toEqual([
      "Acme Shop",
    ]);
    const text = await runCli(["web", "fingerprints", "--fingerprints", dir], undefined);
    expect(text.stdout).toContain(`${dir}: 1 technology (9 malformed entries skipped)`);
    expect(list.technologies.find((t: { name: string }) => t.name === "Acme Shop")).toMatchObject({
      group: "platform",
      categories: ["Ecommerce"],
    });

    const page = join(tempDir(), "acme.html");
    writeFileSync(
      page,
      `<!DOCTYPE html><html><head><title>Acme-butik</title><script src="/js/acme-shop.min.js?v=3.2.1"></script></head><body><p>Produkter</p></body></html>`,
    );
    const db = join(tempDir(), "f.db");
    const out = await runJson(
      ["run-batch", "--type", "ecommerce_detection", "--url", page.startsWith("/") ? `file://${page}` : page, "--fingerprints", dir],
      db,
    );
    expect(out.batches[0].items[0].result.platform).toBe("Acme Shop 3.2.1");

    writeFileSync(join(dir, "technologies", "b.json"), "{ not json");
    const bad = await runCli(["run-batch", "--type", "ecommerce_detection", "--url", `file://${page}`, "--fingerprints", dir], db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/fingerprint file .*b\.json is not valid JSON/);
  });
});

describe("lazy loading", () => {
  it("status never loads puppeteer-core or pdfmake; browser work does", async (ctx) => {
    requireTools(["chromium"])(ctx); // the control needs a Chromium to get as far as loading puppeteer-core
    const dir = tempDir();
    writeFileSync(
      join(dir, "hooks.mjs"),
      `export async function resolve(specifier, context, next) {
  const heavy = /^(puppeteer-core|pdfmake)(?:\\/|$)/.exec(specifier);
  if (heavy) throw new Error(heavy[1] + " was loaded");
  return next(specifier, context);
}\n`,
    );
    writeFileSync(join(dir, "register.mjs"), `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`);
    const db = join(dir, "s.db");
    const run = (args: string[]) =>
      finished(
        spawn(process.execPath, ["--import", join(dir, "register.mjs"), BIN, ...args], {
          cwd: ROOT,
          env: cliEnv(db),
          stdio: ["pipe", "pipe", "pipe"],
        }),
      );
    await createDb(db);
    const status = await run(["status"]);
    expect(status.code, status.stderr).toBe(0);
    expect((await run(["status", "--json"])).code).toBe(0);
    // The control: rendering in the browser does load it, and the hook says so (before any request is made).
    const browser = await run([
      "run-batch",
      "--type",
      "tech_analysis",
      "--browser",
      "always",
      "--allow-private",
      "--url",
      "http://127.0.0.1:9/",
    ]);
    expect(browser.stdout).toMatch(/puppeteer-core was loaded/);
  });
});
