import { runText } from "../../core/queue/command-runs.ts";
import { formatInZone } from "../../core/schedule/format.ts";
import { plural } from "../../core/util/plural.ts";
import type { ScheduleStatus } from "../../core/schedule/status-shape.ts";
import { formatDuration, formatRelative } from "../../core/time.ts";
import { bold, printLine, printTable } from "../shared/output.ts";
import { catchUpSentence } from "./catch-up.ts";

const SHOWN = 15;

/** The schedules section of `leadjobs status`. */
export async function renderSchedules(s: ScheduleStatus, now: number): Promise<void> {
  if (s.active + s.paused === 0) return;
  printLine(bold("schedules"));
  const tick = s.lastTick ? `${formatRelative(s.lastTick.startedAt, now)} (${runText(s.lastTick)})` : "never";
  printLine(
    `  ${s.active} active · ${s.paused} paused · ${s.overdue} overdue · ${plural(s.missed24h, "missed run")} in 24h; last enqueue tick: ${tick}`,
  );
  if (s.items.length === 0) return;
  await printTable(
    ["schedule", "type", "next run", "last run", "outcome", "note"],
    s.items
      .slice(0, SHOWN)
      .map((i) => [
        i.name,
        i.type,
        i.nextFireAt === null ? "never" : `${formatInZone(i.nextFireAt, i.tz)} (${formatRelative(i.nextFireAt, now)})`,
        formatRelative(i.lastRunAt, now),
        i.lastOutcome,
        i.overdueMs !== null
          ? `OVERDUE by ${formatDuration(i.overdueMs)}`
          : i.lastCatchUp
            ? catchUpSentence(i.lastCatchUp, i.tz, false)
            : "",
      ]),
  );
  if (s.items.length > SHOWN) printLine(`  … and ${s.active - SHOWN} more (leadjobs schedule list)`);
}
