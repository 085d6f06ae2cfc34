import { describe, expect, it } from "vitest";
import type { Dashboard } from "../../src/core/dashboard/collect.ts";
import { fireMark } from "../../src/core/dashboard/collect.ts";
import { percentile } from "../../src/core/queue/trends.ts";
import { escapeHtml, html } from "../../src/commands/report/html-escape.ts";
import { renderDashboard } from "../../src/commands/report/html-page.ts";

const EVIL = "<script>alert(1)</script>";
const ATTR = `"><img src=x onerror=alert(2)>`;
const NOW = "2025-03-10T12:00:00.000Z";
const SINCE = "2025-02-08T12:00:00.000Z";

function emptyDashboard(): Dashboard {
  return {
    generatedAt: NOW,
    since: SINCE,
    db: "/data/leadjobs.db",
    health: { ok: true, problems: [] },
    queue: {
      counts: { pending: 0, running: 0, completed: 0, dead: 0, cancelled: 0 },
      byType: [],
      due: 0,
      recentFailures: [],
      failedAttempts24h: 0,
      deadJobs: [],
      worker: { lastRun: null, lastSuccessAt: null },
      perHour: [],
      slowest: [],
    },
    schedules: { active: 0, paused: 0, overdue: 0, missed24h: 0, lastTick: null, schedules: [] },
    leads: { days: 30, report: { since: SINCE, until: NOW, bySchedule: [], byDay: [] }, costByDay: [], terminals: [] },
    web: { batches: [], technologies: { sites: 0, platforms: [], checkouts: [], carriers: [] }, changes: [] },
    brands: { reports: [], trends: [] },
    backoffice: {
      tenants: 0,
      budgetAlerts: { projectsWithBudget: 0, activeAlerts: 0, started: false, lastCompletedAt: null },
      invoicePdf: { pendingInvoices: 0, attempts24h: 0, failed24h: 0, failureRate: null },
      cleanup: { lastJobId: null, lastFinishedAt: null, lastState: null, linksDeactivated: null, linksFailed: null },
      notifications: { pending: 0, failed: 0, undelivered: [] },
    } as unknown as Dashboard["backoffice"],
  };
}

/** Every string the database can put on the page, set to markup. */
function evilDashboard(): Dashboard {
  const d = emptyDashboard();
  d.db = `/tmp/${EVIL}.db`;
  d.health = { ok: false, problems: [`schedule ${EVIL} is overdue`] };
  d.queue.byType = [{ type: EVIL, pending: 1, running: 0, completed: 2, dead: 1, cancelled: 0 }];
  d.queue.recentFailures = [{ jobId: 7, type: EVIL, attempt: 1, outcome: "failed", finishedAt: NOW, error: `boom ${EVIL}` }];
  d.queue.deadJobs = [{ id: 7, type: EVIL, finishedAt: NOW, attempts: 3, lastError: EVIL }];
  d.queue.perHour = [{ hour: "2025-03-10T11:00:00.000Z", completed: 2, failed: 1, dead: 1 }];
  d.queue.slowest = [{ type: EVIL, runs: 2, medianMs: 100, p95Ms: 200, maxMs: 200 }];
  d.schedules.schedules = [
    {
      schedule: {
        id: 1,
        name: ATTR,
        slug: "evil",
        type: EVIL,
        payload: {},
        owner: EVIL,
        active: true,
        timing: { cron: "0 2 * * *", at: null, days: null, tz: "Europe/Stockholm", description: "at 02:00 every day" },
        misfire: { policy: "coalesce", graceMs: 0, cap: 10 },
        priority: 0,
        timeoutMs: null,
        then: null,
        createdAt: SINCE,
        updatedAt: SINCE,
        checkedUntil: NOW,
        nextFireAt: "2025-03-11T01:00:00.000Z",
        lastFireAt: NOW,
        lastRunAt: NOW,
        lastJobId: 7,
        totalRuns: 4,
        missedRuns: 1,
        lastOutcome: "dead",
        lastError: EVIL,
        overdue: false,
        metrics: {},
      },
      fires: [
        { at: NOW, count: 1, mark: "failed", note: EVIL },
        { at: NOW, count: 3, mark: "coalesced", note: null },
      ],
    },
  ];
  d.leads.terminals = [{ id: 1, name: EVIL, leads: 3 }];
  d.leads.report.byDay = [{ day: "2025-03-10", executions: 2, found: 5, created: 3, analysed: 2, avgDurationMs: 1200 }];
  d.leads.report.bySchedule = [
    {
      scheduleId: 1,
      scheduleName: EVIL,
      scheduleRemoved: false,
      runs: 2,
      succeeded: 1,
      failed: 1,
      successRate: 0.5,
      found: 5,
      created: 3,
      analysed: 2,
      costMicroUsd: 1200,
      lastRunAt: NOW,
    },
  ];
  d.leads.costByDay = [{ day: "2025-03-10", costMicroUsd: 1200 }];
  d.web.batches = [
    {
      id: 3,
      analysis: EVIL,
      createdAt: NOW,
      startedAt: NOW,
      finishedAt: NOW,
      counts: { pending: 0, running: 0, ok: 2, failed: 1, blocked: 1, skipped: 0, cancelled: 0, total: 4 },
    },
  ];
  d.web.technologies = {
    sites: 2,
    platforms: [{ name: EVIL, sites: 2 }],
    checkouts: [{ name: EVIL, sites: 1 }],
    carriers: [{ name: EVIL, sites: 1 }],
  };
  d.web.changes = [{ site: EVIL, orgnr: null, leadId: null, at: NOW, text: `payment: switched from ${EVIL} to Walley on 2025-03-10` }];
  const figures = {
    competitorId: null,
    name: EVIL,
    answers: 4,
    mentionShare: 0.5,
    avgPosition: 1.5,
    avgSentiment: 0.2,
    citationShare: 0.25,
  };
  d.brands.reports = [
    {
      brandId: 1,
      brand: EVIL,
      provider: EVIL,
      answers: 4,
      brandFigures: figures,
      competitors: [{ ...figures, competitorId: 2, name: ATTR }],
      weekly: [],
    },
  ];
  d.brands.trends = [
    {
      brandId: 1,
      brand: EVIL,
      provider: EVIL,
      subjects: [
        {
          competitorId: null,
          name: EVIL,
          weeks: [
            { week: "2025-03-03", mentionShare: 0.5, avgPosition: 1.5, avgSentiment: 0.2 },
            { week: "2025-03-10", mentionShare: null, avgPosition: null, avgSentiment: null },
          ],
        },
      ],
    },
  ];
  return d;
}

describe("report html: the page", () => {
  it("shows every database string as text: no markup gets through", () => {
    const page = renderDashboard(evilDashboard(), { tz: "Europe/Stockholm" });
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]*\sonerror=/);
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // In attributes too: the quote cannot close data-schedule="…".
    expect(page).toContain('data-schedule="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"');
    // Every place a string is shown escapes it (health, types, errors, names, sites, brands, …).
    expect(page.split("&lt;script&gt;alert(1)&lt;/script&gt;").length - 1).toBeGreaterThan(20);
  });

  it("is self-contained: no script, no link, no external URL", () => {
    const page = renderDashboard(evilDashboard(), { tz: "Europe/Stockholm" });
    expect(page).not.toMatch(/<(script|link|iframe|img|object|embed)\b/i);
    // Attribute values are quoted and their quotes escaped: without them, no attribute may load or run anything.
    expect(page.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]*\s(src|href|on[a-z]+)=/i);
    expect(page).not.toMatch(/url\(/i);
    expect(page).toContain("prefers-color-scheme:dark");
    expect(page).toContain('name="viewport" content="width=device-width, initial-scale=1"');
  });

  it("renders an empty database: every section, each saying there is nothing yet", () => {
    const page = renderDashboard(emptyDashboard(), { tz: "Europe/Stockholm" });
    for (const id of ["health", "queue", "schedules", "leads", "web", "brands", "backoffice"])
      expect(page).toContain(`<section id="${id}"`);
    expect(page).toContain('data-verdict="ok"');
    for (const text of [
      "no attempt finished in this period",
      "no jobs",
      "no failed attempts",
      "no schedules",
      "no lead job ran in this period",
      "no terminals",
      "no batches yet",
      "no changes seen between analyses",
      "no scored answers in this period",
    ])
      expect(page).toContain(text);
    expect(page).not.toMatch(/NaN|undefined|Infinity|\[object /);
  });

  it("says UNHEALTHY with the reasons, first", () => {
    const d = emptyDashboard();
    d.health = { ok: false, problems: ["no successful `leadjobs process` run is recorded"] };
    const page = renderDashboard(d, { tz: "Europe/Stockholm" });
    expect(page.indexOf('id="health"')).toBeLessThan(page.indexOf('id="queue"'));
    expect(page).toContain('data-verdict="unhealthy"');
    expect(page).toContain("<li>no successful `leadjobs process` run is recorded</li>");
  });
});

describe("report html: helpers", () => {
  it("escapes & < > \" '", () => {
    expect(escapeHtml(`a&b<c>"d'`)).toBe("a&amp;b&lt;c&gt;&quot;d&#39;");
    expect(html`<b>${"<i>"}</b>${html`<i>ok</i>`}${[1, "<", null]}`.text).toBe("<b>&lt;i&gt;</b><i>ok</i>1&lt;");
  });

  it("nearest-rank percentiles", () => {
    expect(percentile([5], 0.95)).toBe(5);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBe(95);
  });

  it.each([
    [{ kind: "run", policy: "coalesce", job: { state: "completed" } }, "ok"],
    [{ kind: "trigger", policy: "coalesce", job: { state: "dead" } }, "failed"],
    [{ kind: "run", policy: "coalesce", job: { state: "running" } }, "pending"],
    [{ kind: "run", policy: "coalesce", job: { state: "deleted" } }, "gone"],
    [{ kind: "missed", policy: "coalesce", job: null }, "coalesced"],
    [{ kind: "missed", policy: "skip", job: null }, "missed"],
  ] as const)("fire %j is %s", (f, mark) => {
    expect(fireMark(f as never)).toBe(mark);
  });
});
