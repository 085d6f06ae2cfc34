// Bundles src/cli.ts into dist/ (ESM, code-split so each command loads only what it needs).
// Native and heavy optional modules stay external and are loaded lazily at run time.
import { build } from "esbuild";
import { readFile, rm } from "node:fs/promises";

const root = new URL("..", import.meta.url);
// tsconfig.json extends @tsconfig/node20, a devDependency that `npm install --omit=dev` does not
// install; nothing in it changes esbuild's output, so esbuild gets our own options only.
const { extends: _base, ...tsconfig } = JSON.parse(await readFile(new URL("tsconfig.json", root), "utf8"));
await rm(new URL("dist", root), { recursive: true, force: true });
await build({
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
  // consola is required on first use (src/log.ts): most runs log nothing.
  external: ["better-sqlite3", "pg", "pg-copy-streams", "puppeteer-core", "pdfmake", "openai", "ollama", "consola"],
  // commander and friends are CommonJS; give the ESM bundle a require().
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
});
// The idle cron path (src/fast.ts), tried first by bin/leadjobs: one small file of its own (its
// few shared modules are copied, not split into chunks), so an idle start resolves one module.
await build({
  absWorkingDir: root.pathname,
  entryPoints: ["src/fast.ts"],
  outfile: "dist/fast.js",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  sourcemap: "linked",
  minify: true,
  keepNames: true,
  logLevel: "warning",
  external: ["better-sqlite3"],
  // The job-type catalogue's lazy loaders never run on this path: leave their modules out.
  plugins: [
    {
      name: "no-lazy-imports",
      setup: (b) => b.onResolve({ filter: /./ }, (a) => (a.kind === "dynamic-import" ? { path: a.path, external: true } : undefined)),
    },
  ],
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
});
