// Bundles bench/lib/web-core.ts with esbuild (into bench/results/, which git ignores) and
// imports it. Inside the repository the bundle finds fingerprints/ as the CLI does.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;

export async function loadWebCore() {
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `web-core-${process.pid}.mjs`);
  await build({
    absWorkingDir: ROOT,
    entryPoints: ["bench/lib/web-core.ts"],
    outfile: out,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    logLevel: "warning",
    external: ["better-sqlite3", "puppeteer-core"],
    banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  });
  try {
    return await import(out);
  } finally {
    (await import("node:fs")).rmSync(out, { force: true });
  }
}
