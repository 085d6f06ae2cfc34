// Budget alert worker over 10,000 active projects with budgets, thresholds, time and material.
// Prints JSON: wall time of `leadjobs alerts` (whole process, startup included) for the first
// run (creates the alerts; notifications not printed), the same run printing every notification
// (the output channel), and a repeated run (nothing to change), with the job's own duration.
// Target: under 1 s. Usage: node bench/alerts.mjs [projects]
import { copyFileSync } from "node:fs";
import { freshDb, addTenant, runCli, NOW } from "./backoffice-lib.mjs";

const projects = Number(process.argv[2] ?? 10_000);
const { path, sqlite } = freshDb("alerts");
addTenant(sqlite);
const seed = sqlite.transaction(() => {
  const p = sqlite.prepare("insert into project (tenant_id, name, status, created_at, updated_at) values (1, ?, 'active', ?, ?)");
  const b = sqlite.prepare(
    "insert into project_budget (project_id, hours_minutes, material_ore, total_ore, created_at, updated_at) values (?, 6000, 10000000, 60000000, ?, ?)",
  );
  const t = sqlite.prepare("insert into budget_threshold (project_id, type, percent, notify) values (?, ?, ?, 1)");
  const te = sqlite.prepare(
    "insert into time_entry (project_id, work_date, minutes, hourly_rate_ore, created_at, updated_at) values (?, '2026-11-20', ?, 85000, ?, ?)",
  );
  const mc = sqlite.prepare(
    "insert into material_cost (project_id, cost_date, description, amount_ore, created_at, updated_at) values (?, '2026-11-20', 'Material', ?, ?, ?)",
  );
  for (let i = 1; i <= projects; i++) {
    p.run(`Projekt ${i}`, NOW, NOW);
    b.run(i, NOW, NOW);
    for (const [type, percent] of [
      ["hours", 80],
      ["hours", 100],
      ["material", 90],
      ["total", 80],
      ["total", 100],
    ])
      t.run(i, type, percent);
    // usage spread 0-120 %: about a third of the projects cross something
    const usage = (i * 37) % 120;
    for (let k = 0; k < 5; k++) te.run(i, Math.round((6000 * usage) / 100 / 5), NOW, NOW);
    mc.run(i, Math.round((10_000_000 * ((i * 53) % 110)) / 100), NOW, NOW);
  }
});
seed();
sqlite.close();
const withOutput = path.replace(/bench\.db$/, "output.db");
copyFileSync(path, withOutput);

const first = await runCli(["alerts", "--json", "--now", NOW], path, { LEADJOBS_NOTIFY_OUTPUT: "false" });
if (first.code !== 0) throw new Error(first.stderr);
const second = await runCli(["alerts", "--json", "--now", NOW], path, { LEADJOBS_NOTIFY_OUTPUT: "false" });
// The same first run with the output channel on (the default): every notification printed.
const printed = await runCli(["alerts", "--json", "--now", NOW], withOutput);
const job = (await import("better-sqlite3")).default;
const db = new job(path, { readonly: true });
const durations = db
  .prepare(
    "select duration_ms from job_attempt join job on job.id = job_attempt.job_id where job.type = 'budget.alerts' order by job_attempt.id",
  )
  .pluck()
  .all();
db.close();
const f = JSON.parse(first.stdout);
console.log(
  JSON.stringify(
    {
      benchmark: "alerts",
      projects,
      thresholds: projects * 5,
      firstRun: { wallMs: Math.round(first.wallMs), jobMs: durations[0], created: f.created, peakRssMb: first.peakRssMb },
      firstRunPrintingNotifications: {
        wallMs: Math.round(printed.wallMs),
        printed: JSON.parse(printed.stdout).notifications.printed,
        peakRssMb: printed.peakRssMb,
      },
      repeatRun: {
        wallMs: Math.round(second.wallMs),
        jobMs: durations[1],
        created: JSON.parse(second.stdout).created,
        peakRssMb: second.peakRssMb,
      },
      targetMs: 1000,
      node: process.version,
    },
    null,
    2,
  ),
);
