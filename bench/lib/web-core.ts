// What the web benchmarks and evaluation scripts use from the core, bundled on the fly by
// bench/lib/load-core.mjs (the CLI bundle has a single entry point).
export { resolveConfig } from "../../src/core/config.ts";
export { analyseSite } from "../../src/core/web/analyse-site.ts";
export { createWebDeps } from "../../src/core/web/deps.ts";
export { matchPage, resolveDetections } from "../../src/core/web/detect.ts";
export { extractFacts } from "../../src/core/web/facts.ts";
export { loadFingerprints } from "../../src/core/web/fingerprints/load.ts";
