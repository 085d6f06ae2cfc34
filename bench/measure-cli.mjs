// Runs the leadjobs CLI in this process (the built bundle) and appends its peak memory and CPU
// time to the file named by LEADJOBS_BENCH_OUT: `node bench/measure-cli.mjs companies import F`.
import { appendFileSync } from "node:fs";

const { main } = await import("../dist/cli.js");
const code = await main(process.argv);
const usage = process.resourceUsage();
if (process.env.LEADJOBS_BENCH_OUT) {
  appendFileSync(
    process.env.LEADJOBS_BENCH_OUT,
    `${JSON.stringify({ code, maxRssMb: Math.round(usage.maxRSS / 1024), cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000) })}\n`,
  );
}
process.exitCode = code;
setTimeout(() => process.exit(), 3000).unref();
