import type { BackofficeStatus } from "../backoffice/health.ts";
import { brandReport, brandTrends, type BrandProviderReport, type BrandTrend } from "../brands/report.ts";
import type { Db } from "../db/handle.ts";
import { leadCostByDay, leadReport, type LeadReport } from "../leads/report.ts";
import { listTerminals } from "../leads/terminals.ts";
import { durationsByType, jobsPerHour, type HourBucket, type TypeDurations } from "../queue/trends.ts";
import { scheduleHistory, type FireEntry } from "../schedule/history.ts";
import { summaryJson } from "../schedule/json.ts";
import { listSchedules } from "../schedule/store.ts";
import { toInstant } from "../time.ts";
import { latestBatchReports } from "../web/batch-report.ts";
import { recentWebChanges, technologyCounts, type RecentWebChange, type TechnologyCounts } from "../web/overview.ts";
import { collectStatus, type StatusDoc, type StatusInput } from "./status.ts";

// The dashboard (`leadjobs report html`): one function per section, each built from the same core
// calls as the CLI's --json for that figure (status, schedule list/history, report leads,
// terminals list, run-batch, report brands), so the page and the terminal never disagree.

export interface DashboardInput extends StatusInput {
  /** Start of the period the trends cover (the page's --since). */
  since: number;
}

/** `status --check`'s verdict and reasons. */
export interface HealthSection {
  ok: boolean;
  problems: string[];
}

export interface QueueSection {
  /** As `status --json` .queue.counts / .byType / .recentFailures / .deadJobs. */
  counts: StatusDoc["queue"]["counts"];
  byType: StatusDoc["queue"]["byType"];
  due: number;
  recentFailures: StatusDoc["recentFailures"];
  failedAttempts24h: number;
  deadJobs: StatusDoc["deadJobs"];
  worker: StatusDoc["worker"];
  perHour: HourBucket[];
  slowest: TypeDurations[];
}

/** One mark on a schedule's run-history strip. */
export type FireMark = "ok" | "failed" | "missed" | "coalesced" | "pending" | "gone";

export interface ScheduleCard {
  /** As one schedule of `schedule list --json`. */
  schedule: ReturnType<typeof summaryJson>;
  /** The latest fires, oldest first, as `schedule history --json` lists them. */
  fires: Array<{ at: string; count: number; mark: FireMark; note: string | null }>;
}

export interface SchedulesSection {
  active: number;
  paused: number;
  overdue: number;
  missed24h: number;
  lastTick: StatusDoc["schedules"]["lastTick"];
  schedules: ScheduleCard[];
}

export interface LeadsSection {
  days: number;
  /** As `report leads --days N --json`. */
  report: LeadReport;
  costByDay: Array<{ day: string; costMicroUsd: number }>;
  /** As `terminals list --json` (id, name, leads). */
  terminals: Array<{ id: number; name: string; leads: number }>;
}

export interface WebSection {
  /** The latest batches, as `run-batch --json` reports them, without items. */
  batches: Array<{
    id: number;
    analysis: string;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
    counts: Record<string, number> & { total: number };
  }>;
  technologies: TechnologyCounts;
  changes: RecentWebChange[];
}

export interface BrandsSection {
  /** As `report brands --since … --json` .reports. */
  reports: BrandProviderReport[];
  trends: BrandTrend[];
}

export interface Dashboard {
  generatedAt: string;
  since: string;
  db: string;
  health: HealthSection;
  queue: QueueSection;
  schedules: SchedulesSection;
  leads: LeadsSection;
  web: WebSection;
  brands: BrandsSection;
  /** As `status --json` .backoffice. */
  backoffice: BackofficeStatus;
}

/** How much of each list the page shows. */
export const DASHBOARD_LIMITS = { slowestTypes: 10, firesPerSchedule: 30, batches: 8, webChanges: 10 } as const;

export async function collectDashboard(db: Db, o: DashboardInput): Promise<Dashboard> {
  const status = await collectStatus(db, o);
  return {
    generatedAt: toInstant(o.now),
    since: toInstant(o.since),
    db: o.dbPath,
    health: healthSection(status),
    queue: await queueSection(db, status, o),
    schedules: await schedulesSection(db, status, o),
    leads: await leadsSection(db, o),
    web: await webSection(db),
    brands: await brandsSection(db, o),
    backoffice: status.backoffice,
  };
}

export function healthSection(status: StatusDoc): HealthSection {
  return { ok: status.health.ok, problems: status.health.problems };
}

export async function queueSection(db: Db, status: StatusDoc, o: { since: number; now: number }): Promise<QueueSection> {
  return {
    counts: status.queue.counts,
    byType: status.queue.byType,
    due: status.queue.due,
    recentFailures: status.recentFailures,
    failedAttempts24h: status.failedAttempts24h,
    deadJobs: status.deadJobs,
    worker: status.worker,
    perHour: await jobsPerHour(db, o),
    slowest: await durationsByType(db, { since: o.since, limit: DASHBOARD_LIMITS.slowestTypes }),
  };
}

export async function schedulesSection(db: Db, status: StatusDoc, o: { now: number; overdueAfterMs: number }): Promise<SchedulesSection> {
  const s = status.schedules;
  const schedules: ScheduleCard[] = [];
  for (const summary of await listSchedules(db)) {
    const fires = await scheduleHistory(db, summary.row.id, DASHBOARD_LIMITS.firesPerSchedule);
    schedules.push({
      schedule: summaryJson(summary, o.now, o.overdueAfterMs),
      fires: fires.reverse().map((f) => ({ at: f.fireAt, count: f.fireCount, mark: fireMark(f), note: f.reason ?? f.job?.error ?? null })),
    });
  }
  return { active: s.active, paused: s.paused, overdue: s.overdue, missed24h: s.missed24h, lastTick: s.lastTick, schedules };
}

/** ok / failed / pending by the job a fire enqueued; missed fires that a catch-up ran once are "coalesced". */
export function fireMark(f: Pick<FireEntry, "kind" | "policy" | "job">): FireMark {
  if (f.kind === "missed") return f.policy === "coalesce" ? "coalesced" : "missed";
  switch (f.job?.state) {
    case "completed":
      return "ok";
    case "dead":
    case "cancelled":
      return "failed";
    case "pending":
    case "running":
      return "pending";
    default:
      return "gone";
  }
}

export async function leadsSection(db: Db, o: { since: number; now: number }): Promise<LeadsSection> {
  const days = Math.max(1, Math.ceil((o.now - o.since) / 86_400_000));
  return {
    days,
    report: await leadReport(db, { now: o.now, days }),
    costByDay: await leadCostByDay(db, { now: o.now, days }),
    terminals: (await listTerminals(db)).map((t) => ({ id: t.id, name: t.name, leads: t.leads })),
  };
}

export async function webSection(db: Db): Promise<WebSection> {
  const batches = (await latestBatchReports(db, DASHBOARD_LIMITS.batches)).map((b) => ({
    id: b.id,
    analysis: b.analysis,
    createdAt: b.createdAt,
    startedAt: b.startedAt,
    finishedAt: b.finishedAt,
    counts: b.counts,
  }));
  return { batches, technologies: await technologyCounts(db), changes: await recentWebChanges(db, { limit: DASHBOARD_LIMITS.webChanges }) };
}

export async function brandsSection(db: Db, o: { since: number; now: number }): Promise<BrandsSection> {
  return { reports: await brandReport(db, o), trends: await brandTrends(db, o) };
}
