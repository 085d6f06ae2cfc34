// Benchmark: company search latency on a 1.8-million-company register. Prints one JSON document.
//
//   node bench/company-search.mjs [--db REGISTER.db | --db postgres://…] [--rows 1800000] [--rounds 20]
//
// A PostgreSQL URL names a database with the register already imported (bench/company-import.mjs
// --db URL --all).
// Without --db it generates and imports the register first (bench/company-import.mjs, both
// bulk files, so SNI filters have codes). Two measurements over a fixed mix of realistic
// queries (industry words, towns, names, filters):
//   warm: in one process, as a long-running caller would see it (p50, p95, max);
//   cli:  `leadjobs companies search --json` per query, the search time the process reports
//         (a fresh process and cold SQLite cache each time, as cron or a shell runs it).
// Target (issue 4): p95 under 50 ms.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : def);
const rounds = Number(opt("rounds", 20));
let db = opt("db", undefined);
if (!db) {
  const dir = mkdtempSync(join(tmpdir(), "leadjobs-bench-search-"));
  const out = execFileSync(
    process.execPath,
    [join(root, "bench/company-import.mjs"), "--rows", opt("rows", "1800000"), "--all", "--keep", dir],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  db = JSON.parse(out).db;
}

const QUERIES = [
  ["logistikföretag Stockholm", {}],
  ["bygg göteborg", {}],
  ["restaurang", {}],
  ["e-handel", {}],
  ["andersson bygg", {}],
  ["konsult", {}],
  ["", { town: "Stockholm" }],
  ["fastigheter", { active: true }],
  ["redovisningsbyrå uppsala", {}],
  ["transport", { sni: ["49"] }],
  ["it", { town: "Malmö", legalForm: "AB" }],
  ["e-handel kläder", { active: true }],
  ["frisör", { municipality: "Lund" }],
  ["", { sni: ["47910"] }],
  ["lager", { sni: ["52"], active: true }],
  ["tandvård", { town: "Umeå" }],
  ["städ", { location: "Västerås" }],
  ["åkeri", { active: true, legalForm: "AB" }],
  ["Nordlogistik", {}],
  ["elektronik", { sni: ["47"], town: "Göteborg" }],
  ["bemanning stockholm", {}],
  ["holding", {}],
  ["snickeri", { municipality: "Jönköping" }],
  ["advokatbyrå", { active: true }],
  ["", { sni: ["46"], location: "Malmö" }],
];

// Bundle the search module (TypeScript) for the in-process measurement, inside the checkout: the
// bundle finds migrations/ from where it is (node_modules may be a link to another checkout's).
const cache = join(root, "bench/.build");
mkdirSync(cache, { recursive: true });
await build({
  stdin: {
    contents: 'export { openStore } from "./src/core/db/connection.ts"; export { searchCompanies } from "./src/core/companies/search.ts";',
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: join(cache, "search.mjs"),
  external: ["better-sqlite3", "pg", "pg-copy-streams", "pg-cursor"],
  logLevel: "warning",
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
});
const { openStore, searchCompanies } = await import(join(cache, "search.mjs"));

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const stats = (times) => {
  const s = [...times].sort((a, b) => a - b);
  return { n: s.length, p50: round(pct(s, 50)), p95: round(pct(s, 95)), max: round(s[s.length - 1]) };
};
const round = (x) => Math.round(x * 10) / 10;

const load = loadavg()[0];
const store = await openStore(db, { busyTimeoutMs: 5000 });
const companies = Number(
  (
    await store.db
      .selectFrom("company")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow()
  ).n,
);
for (const [query, f] of QUERIES) await searchCompanies(store.db, { query, limit: 20, ...f }); // warm-up round
const warm = [];
const perQuery = {};
for (let r = 0; r < rounds; r++) {
  for (const [query, f] of QUERIES) {
    const t = performance.now();
    await searchCompanies(store.db, { query, limit: 20, ...f });
    const ms = performance.now() - t;
    warm.push(ms);
    (perQuery[`${query}|${JSON.stringify(f)}`] ??= []).push(ms);
  }
}
await store.close();
const slowest = Object.entries(perQuery)
  .map(([k, t]) => [k, stats(t).p50])
  .sort((a, b) => b[1] - a[1])
  .slice(0, 3);

const cli = [];
const cliWall = [];
for (const [query, f] of QUERIES) {
  const flags = [];
  if (f.town) flags.push("--town", f.town);
  if (f.municipality) flags.push("--municipality", f.municipality);
  if (f.legalForm) flags.push("--legal-form", f.legalForm);
  if (f.active) flags.push("--active");
  for (const c of f.sni ?? []) flags.push("--sni", c);
  if (f.location) continue; // no CLI flag for the jobs' `location` filter
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(root, "bin/leadjobs"), "--db", db, "companies", "search", ...(query ? query.split(" ") : []), ...flags, "--json"],
    { encoding: "utf8", env: { ...process.env, LEADJOBS_CONFIG: undefined } },
  );
  cliWall.push(performance.now() - t);
  if (r.status !== 0) throw new Error(r.stderr);
  cli.push(JSON.parse(r.stdout).tookMs);
}

const warmStats = stats(warm);
console.log(
  JSON.stringify(
    {
      benchmark: "companies search",
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      loadAverageBefore: Math.round(load * 100) / 100,
      db: db.replace(/\/\/[^@/]*@/, "//"),
      companies,
      queries: QUERIES.length,
      rounds,
      target: { p95Ms: 50 },
      warm: warmStats,
      slowestQueriesP50: slowest,
      cli: { searchMs: stats(cli), processWallMs: stats(cliWall) },
      met: warmStats.p95 < 50,
    },
    null,
    2,
  ),
);
