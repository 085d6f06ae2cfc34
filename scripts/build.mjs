// Bundles src/cli.ts into dist/ (ESM, code-split so each command loads only what it needs).
// Native and heavy optional modules stay external and are loaded lazily at run time.
import { build } from "esbuild";
import { readFile, rm } from "node:fs/promises";

const root = new URL("..", import.meta.url);
// tsconfig.json extends @tsconfig/node20, a devDependency that `npm install --omit=dev` does not
// install; nothing in it changes esbuild's output, so esbuild gets our own options only.
const { extends: _base, ...tsconfig } = JSON.parse(await readFile(new URL("tsconfig.json", root), "utf8"));
await rm(new URL("dist", root), { recursive: true, force: true });
const { metafile: cliMeta } = await build({
  absWorkingDir: root.pathname,
  entryPoints: ["src/cli.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  sourcemap: "linked",
  minify: true, // less to parse on every cron start; the source map keeps stack traces readable
  keepNames: true,
  tsconfigRaw: tsconfig,
  logLevel: "warning",
  chunkNames: "chunks/[name]-[hash]",
  // consola is required on first use (src/log.ts): most runs log nothing. node-postgres is bundled
  // (into a chunk only a postgres:// URL loads): its two dozen CommonJS files cost each PostgreSQL
  // command about 8 ms to resolve and load one by one; its optional native and Cloudflare drivers stay out.
  external: ["bindings", "pg-native", "pg-cloudflare", "pg-copy-streams", "puppeteer-core", "pdfmake", "openai", "ollama", "consola"],
  // commander and friends are CommonJS; give the ESM bundle a require().
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  metafile: true,
});
// `import { z } from "zod"` keeps zod's whole namespace, with its 60-odd locales: 370 KB more for every
// command that validates a payload to read and compile. `import * as z from "zod"` lets esbuild keep
// only what we call, and English messages only.
const locales = Object.values(cliMeta.outputs)
  .flatMap((output) => Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) => (bytesInOutput > 0 ? [input] : [])))
  .filter((input) => /node_modules\/zod\/.*\/locales\/(?!en\.js$)/.test(input));
if (locales.length > 0) throw new Error(`dist/ must not carry zod's locales (${locales[0]}): import zod as \`import * as z from "zod"\``);
// The cron paths tried first by bin/leadjobs, each one file of its own (their shared modules are
// copied, not split into chunks), so a start resolves one module: the idle path (src/fast.ts) and
// status without commander (src/fast/status.ts).
const alone = (entry, outfile) => ({
  absWorkingDir: root.pathname,
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  sourcemap: "linked",
  minify: true,
  keepNames: true,
  logLevel: "warning",
  external: ["bindings", "pg", "pg-copy-streams", "consola"],
  // Lazy imports stay lazy and out of the file (the job-type catalogue's loaders never run on
  // these paths; cli-table3 loads from node_modules when a table needs it).
  plugins: [
    {
      name: "no-lazy-imports",
      setup: (b) => b.onResolve({ filter: /./ }, (a) => (a.kind === "dynamic-import" ? { path: a.path, external: true } : undefined)),
    },
  ],
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
});
// Kysely (64 KB) would double what these files cost to compile on every cron start: an import of
// a query module where a raw twin belongs (core/**/*.sqlite.ts) fails the build here.
for (const [entry, outfile] of [
  ["src/fast.ts", "dist/fast.js"],
  ["src/fast/status.ts", "dist/status.js"],
]) {
  const { metafile } = await build({ ...alone(entry, outfile), metafile: true });
  const heavy = Object.keys(metafile.inputs).filter((input) => input.startsWith("node_modules/kysely/"));
  if (heavy.length > 0) throw new Error(`${outfile} must not contain Kysely, but ${entry} imports it (${heavy[0]})`);
}
