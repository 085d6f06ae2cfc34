import { ExitCode, UsageError } from "../../core/errors.ts";
import { plural } from "../../core/util/plural.ts";
import { loadJobType } from "../../job-types.ts";
import { parsePayload } from "../../core/jobs/payload.ts";
import { resolveTiming, timingOf } from "../../core/schedule/definition.ts";
import { describeCron } from "../../core/schedule/describe.ts";
import { formatInZone } from "../../core/schedule/format.ts";
import { estimateMonthlyCost, formatMinor, previewFires } from "../../core/schedule/preview.ts";
import { findSchedule } from "../../core/schedule/store.ts";
import { clockFrom, loadConfig, openContextWith, type GlobalOptions } from "../shared/context.ts";
import { intOption, jsonOption } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";

export interface PreviewOptions {
  cron?: string;
  at?: string;
  days?: string;
  tz?: string;
  type?: string;
  payload?: string;
  count?: string;
  now?: string;
  json?: boolean;
}

interface Subject {
  name: string | null;
  cron: string;
  tz: string;
  type: string | null;
  payload: unknown;
}

/** `schedule preview NAME` or `schedule preview --cron EXPR [--tz ZONE] [--type T --payload P]`: reads, never writes. */
export async function schedulePreview(g: GlobalOptions, ref: string | undefined, o: PreviewOptions): Promise<number> {
  const count = intOption(o.count, "--count", 1, 1000) ?? 10;
  const hasTiming = o.cron !== undefined || o.at !== undefined || o.days !== undefined;
  if (ref !== undefined && (hasTiming || o.type !== undefined || o.payload !== undefined || o.tz !== undefined)) {
    throw new UsageError("give either a schedule name or --cron/--at/--days (with --tz, --type, --payload), not both");
  }
  if (ref === undefined && !hasTiming) throw new UsageError("give a schedule name, or a timing with --cron EXPR or --at HH:MM --days SET");
  const now = clockFrom(o.now)();
  const config = loadConfig(g);

  let subject: Subject;
  if (ref !== undefined) {
    const ctx = await openContextWith(g, config, { readOnly: true });
    try {
      const row = await findSchedule(ctx.db, ref);
      subject = { name: row.name, cron: row.cron, tz: row.tz, type: row.type, payload: JSON.parse(row.payload) };
    } finally {
      await ctx.close();
    }
  } else {
    const timing = resolveTiming({ cron: o.cron, at: o.at, days: o.days, tz: o.tz }, config.scheduleTimezone);
    subject = { name: null, cron: timing.cron, tz: timing.tz, type: o.type ?? null, payload: jsonOption(o.payload ?? "{}", "--payload") };
  }
  const timing = timingOf(subject);
  let cost = null;
  if (subject.type !== null) {
    const def = await loadJobType(subject.type);
    cost = estimateMonthlyCost(def, parsePayload(def, subject.payload), timing, now, config);
  }
  const fires = previewFires(timing, now, count);
  const description = describeCron(timing.cron);
  if (o.json) {
    printJson({
      schedule: subject.name,
      cron: subject.cron,
      tz: subject.tz,
      description,
      fires: fires.map((f) => ({ at: new Date(f.at).toISOString(), local: formatInZone(f.at, subject.tz), movedByDst: f.movedByDst })),
      monthlyCost: cost,
    });
    return ExitCode.Ok;
  }
  printLine(`${subject.name ? `${subject.name}: ` : ""}${description} (${subject.tz})`);
  printLine(fires.length === 0 ? "it never fires again" : `next ${fires.length} run${fires.length === 1 ? "" : "s"}:`);
  for (const f of fires) {
    printLine(
      `  ${formatInZone(f.at, subject.tz)}${f.movedByDst ? "  (the scheduled time does not exist that day: DST gap; runs at its end)" : ""}`,
    );
  }
  if (cost) {
    const money = (minor: number | null) => formatMinor(minor, cost.currency);
    const flat = cost.flat
      ? `; flat ${money(cost.flat.perUnitMinor)} per ${cost.flat.unit} → ${money(cost.flat.monthlyMinor)} a month (${plural(cost.flat.unitsPerRun, cost.flat.unit)} a run, ${cost.flat.source})`
      : "";
    printLine(
      `estimated cost: ${plural(cost.runsPerMonth, "run")} in 30 days × ${money(cost.perRunMinor)} ≈ ${money(cost.monthlyMinor)} a month (${cost.basis})${flat}`,
    );
  }
  return ExitCode.Ok;
}
