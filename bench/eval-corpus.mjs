#!/usr/bin/env node
// Precision and recall on real saved shop pages: the labelled corpus in the shared folder
// beside a developer's checkout (../shared/corpus/real-pages, or --dir DIR). That corpus is
// not part of the repository; without it this script says so and exits 0.
// Only the labelled technologies are scored (shopify, woocommerce, magento, prestashop,
// klarna, postnord): detections of other technologies are neither right nor wrong here.
// Usage: node bench/eval-corpus.mjs [--dir DIR] [--fingerprints WAPPALYZER_DIR]
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadWebCore, ROOT } from "./lib/load-core.mjs";
import { score } from "./lib/score.mjs";

const args = process.argv.slice(2);
const arg = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const dir = arg("--dir", join(ROOT, "..", "shared", "corpus", "real-pages"));
const tsv = join(dir, "sources.tsv");
if (!existsSync(tsv)) {
  console.log(JSON.stringify({ bench: "eval-corpus", skipped: true, reason: `no labelled corpus at ${dir}` }, null, 2));
  process.exit(0);
}
const LABELS = {
  shopify: "Shopify",
  woocommerce: "WooCommerce",
  magento: "Magento",
  magento1: "Magento",
  magento2: "Magento",
  prestashop: "PrestaShop",
  klarna: "Klarna",
  postnord: "PostNord",
};
const SCORED = new Set(Object.values(LABELS));
const rows = readFileSync(tsv, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split("\t"));

const core = await loadWebCore();
const extra = args.includes("--fingerprints") ? [arg("--fingerprints")] : [];
const deps = core.createWebDeps(core.resolveConfig({}, {}, {}), Date.now, { browserMode: "never", fingerprintDirs: extra });
const results = [];
for (const [file, , , , , expected] of rows) {
  const labels =
    expected === "none"
      ? []
      : expected
          .split(/[,\s]+/)
          .map((l) => LABELS[l.toLowerCase()])
          .filter(Boolean);
  const a = await core.analyseSite(pathToFileURL(join(dir, file)).href, "full_analysis", deps);
  if (a.status !== "ok") throw new Error(`${file}: ${a.error}`);
  results.push({
    page: file,
    expected: [...new Set(labels)],
    found: a.detections.map((d) => d.name).filter((n) => SCORED.has(n)),
    all: a.detections.map((d) => d.name),
  });
}
const s = score(results);
console.log(
  JSON.stringify(
    {
      bench: "eval-corpus",
      dir,
      fingerprints: deps.fingerprints.sources.map((x) => x.dir),
      pages: s.pages,
      precision: s.precision,
      recall: s.recall,
      tp: s.tp,
      fp: s.fp,
      fn: s.fn,
      errors: s.errors,
      pagesDetail: results.map((r) => ({
        page: r.page,
        expected: r.expected,
        found: r.found,
        alsoFound: r.all.filter((n) => !SCORED.has(n)),
      })),
    },
    null,
    2,
  ),
);
await deps.close();
