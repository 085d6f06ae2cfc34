#!/usr/bin/env node
// Precision and recall of the analyser over the fixture web sites (test/fixtures/web), for
// every analysis type, with the browser when needed (auto) and with plain HTTP only (never).
// Runs the real analyser against local servers and the real Chromium. Prints JSON.
// Usage: node bench/eval-fixtures.mjs [--types full_analysis,tech_analysis] [--modes auto,never]
import { loadWebCore } from "./lib/load-core.mjs";
import { score } from "./lib/score.mjs";
import { SITES } from "../test/fixtures/web/sites.mjs";
import { startFixtureSites } from "../test/fixtures/web/server.mjs";

const args = process.argv.slice(2);
const arg = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const types = arg("--types", "full_analysis,tech_analysis,ecommerce_detection,checkout_scraping,carrier_detection").split(",");
const modes = arg("--modes", "auto,never").split(",");

const core = await loadWebCore();
const fixtures = await startFixtureSites({ slowMs: 1000 });
const GROUPS = {
  tech_analysis: ["platform", "other"],
  ecommerce_detection: ["platform"],
  checkout_scraping: ["payment", "delivery", "carrier"],
  carrier_detection: ["delivery", "carrier"],
  full_analysis: ["platform", "payment", "delivery", "carrier", "other"],
};
const out = { bench: "eval-fixtures", sites: SITES.length, runs: [] };
try {
  for (const mode of modes) {
    const deps = core.createWebDeps(core.resolveConfig({ webDelay: "0ms", webAllowPrivate: true }, {}, {}), Date.now, {
      browserMode: mode,
    });
    const groupOf = (name) => deps.fingerprints.technologies.get(name)?.group;
    try {
      for (const type of types) {
        const results = [];
        for (const site of SITES) {
          const a = await core.analyseSite(fixtures.sites[site.name], type, deps);
          results.push({
            page: site.name,
            expected: site.expected.filter((n) => GROUPS[type].includes(groupOf(n))),
            found: a.detections.map((d) => d.name),
          });
        }
        const s = score(results);
        out.runs.push({ type, browser: mode, precision: s.precision, recall: s.recall, tp: s.tp, fp: s.fp, fn: s.fn, errors: s.errors });
      }
    } finally {
      await deps.close();
    }
  }
} finally {
  await fixtures.close();
}
console.log(JSON.stringify(out, null, 2));
