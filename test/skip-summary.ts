import type { Reporter, TestModule, Vitest } from "vitest/node";

/**
 * Ends the run with one line per skipped test and a count of what was skipped and why, e.g.
 * "skipped 23 tests: chromium missing (apt-get install -y chromium) ×20, …". The reasons are the
 * skip notes (requireTools() in helpers/system.ts gives each test its note); this reporter runs in
 * the main process and reads the results vitest collected, so it works with any pool.
 */
export default class SkipSummary implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const reasons = new Map<string, number>();
    const lines: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== "skipped") continue;
        const why = result.note ?? "no reason given";
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
        lines.push(`  ↓ ${module.moduleId.replace(`${this.vitest?.config.root ?? ""}/`, "")} > ${test.fullName}: ${why}`);
      }
    }
    if (lines.length === 0) return;
    const log = (s: string) => (this.vitest ? this.vitest.logger.log(s) : console.log(s));
    log("");
    for (const line of lines) log(line);
    log(
      `skipped ${lines.length} test${lines.length === 1 ? "" : "s"}: ${[...reasons]
        .sort((a, b) => b[1] - a[1])
        .map(([why, n]) => `${why} ×${n}`)
        .join(", ")}`,
    );
  }
}
