// Bundles a TypeScript entry of the project's own core into a temporary ESM file and imports it,
// so benchmarks call the same code the CLI runs, without a TypeScript loader.
import { build } from "esbuild";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export async function importTs(entry) {
  // Inside the checkout (gitignored), so the bundle resolves node_modules like the CLI does.
  const outfile = join(ROOT, "bench", ".build", `${basename(entry, ".ts")}.mjs`);
  await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    external: ["better-sqlite3", "pg", "pg-copy-streams", "puppeteer-core", "pdfmake", "openai", "ollama", "consola"],
    logLevel: "warning",
    banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  });
  return import(pathToFileURL(outfile).href);
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
