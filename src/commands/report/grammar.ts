import type { Command } from "commander";
import { globals, type SetExit } from "../shared/grammar.ts";

/** report: read-only summaries over recorded runs and results. */
export function registerReport(program: Command, setExit: SetExit): void {
  const report = program.command("report").description("reports over recorded runs and results");
  report
    .command("brands")
    .description("per brand and AI provider: mention share, position, sentiment and citations against competitors, weekly trend")
    .option("--brand <brand>", "one brand (name or id)")
    .option("--since <duration>", "answers asked within this window (default 30d)")
    .option("--json", "print JSON")
    .option("--csv", "print CSV (one row per brand, provider and subject)")
    .option("--now <iso>", "evaluate as if it were then")
    .action(async (opts, cmd: Command) => {
      const { reportBrands } = await import("./brands.ts");
      setExit(await reportBrands(globals(cmd), opts));
    });
  report
    .command("leads")
    .description("lead jobs per schedule (runs, found, analysed, success rate) and per day (executions, found, created, average duration)")
    .option("--days <n>", "days back for the daily report (default 30)")
    .option("--now <iso>", "report as if it were then")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { reportLeads } = await import("./leads.ts");
      setExit(await reportLeads(globals(cmd), opts));
    });
  report
    .command("html")
    .description(
      "write a self-contained HTML dashboard (health, queue, schedules, leads, web analyses, brands, back office) for cron to keep fresh",
    )
    .option("--out <file>", "the page to write (replaced atomically), e.g. $XDG_DATA_HOME/leadjobs/dashboard.html")
    .option("--since <duration>", "period the trends cover (default 30d)")
    .option("--now <iso>", "report as if it were then")
    .action(async (opts, cmd: Command) => {
      const { reportHtml } = await import("./html.ts");
      setExit(await reportHtml(globals(cmd), opts));
    });
}
