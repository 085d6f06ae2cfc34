import { describe, expect, it } from "vitest";
import { BudgetDataError, evaluateProject, isCrossed, planProject, type ProjectUsage } from "../../src/core/budget/evaluate.ts";

const project = (over: Partial<ProjectUsage>): ProjectUsage => ({
  projectId: 1,
  tenantId: 1,
  name: "Ängsbacken",
  budget: { hours: 6000, material: 100_000_00, total: 500_000_00 },
  thresholds: [{ type: "hours", percent: 80, notify: true }],
  usedMinutes: 0,
  timeCostOre: 0,
  materialOre: 0,
  ...over,
});

describe("threshold crossing: at, just under, just over", () => {
  it("compares exactly in integers", () => {
    expect(isCrossed(80, 100, 80)).toBe(true);
    expect(isCrossed(79, 100, 80)).toBe(false);
    expect(isCrossed(81, 100, 80)).toBe(true);
    // 1/3 of a budget of 3 öre is exactly 33.33...%: the 34 % threshold is not crossed by 1 öre
    expect(isCrossed(1, 3, 34)).toBe(false);
    expect(isCrossed(1, 3, 33)).toBe(true);
  });

  const cases = [
    {
      type: "hours" as const,
      budget: { hours: 6000, material: null, total: null },
      at: { usedMinutes: 4800 },
      under: { usedMinutes: 4799 },
      over: { usedMinutes: 4801 },
    },
    {
      type: "material" as const,
      budget: { hours: null, material: 1_000_000, total: null },
      at: { materialOre: 800_000 },
      under: { materialOre: 799_999 },
      over: { materialOre: 800_001 },
    },
    // total = time cost + material
    {
      type: "total" as const,
      budget: { hours: null, material: null, total: 1_000_000 },
      at: { timeCostOre: 500_000, materialOre: 300_000 },
      under: { timeCostOre: 500_000, materialOre: 299_999 },
      over: { timeCostOre: 500_001, materialOre: 300_000 },
    },
  ];
  for (const c of cases) {
    it(`${c.type}: 80 % is crossed at exactly 80 % and just over, not just under`, () => {
      const base = { budget: c.budget, thresholds: [{ type: c.type, percent: 80, notify: true }] };
      expect(evaluateProject(project({ ...base, ...c.at }))[0]?.crossed).toBe(true);
      expect(evaluateProject(project({ ...base, ...c.under }))[0]?.crossed).toBe(false);
      expect(evaluateProject(project({ ...base, ...c.over }))[0]?.crossed).toBe(true);
    });
  }

  it("reports usage in percent with one decimal", () => {
    const [s] = evaluateProject(project({ usedMinutes: 4799 }));
    expect(s).toMatchObject({ used: 4799, budget: 6000, usagePercent: 80, crossed: false });
    expect(evaluateProject(project({ usedMinutes: 9000 }))[0]?.usagePercent).toBe(150);
  });

  it("a threshold without a usable budget is a data error for that project", () => {
    expect(() => evaluateProject(project({ budget: { hours: null, material: null, total: 1 } }))).toThrow(BudgetDataError);
    expect(() => evaluateProject(project({ budget: { hours: 0, material: null, total: null } }))).toThrow(/hours budget is 0/);
  });
});

describe("planning alerts", () => {
  const states = evaluateProject(
    project({
      usedMinutes: 5500,
      materialOre: 10_000_00,
      timeCostOre: 0,
      thresholds: [
        { type: "hours", percent: 80, notify: true },
        { type: "hours", percent: 90, notify: true },
        { type: "hours", percent: 100, notify: true },
        { type: "hours", percent: 50, notify: false },
        { type: "material", percent: 80, notify: true },
      ],
    }),
  );

  it("creates a separate alert for each notifying threshold crossed", () => {
    const plan = planProject(states, []);
    expect(plan.create.map((s) => `${s.type}:${s.percent}`)).toEqual(["hours:80", "hours:90"]);
    expect(plan.resolve).toEqual([]);
  });

  it("does not create an alert that is already active, and resolves those no longer crossed", () => {
    const plan = planProject(states, [
      { id: 1, projectId: 1, type: "hours", thresholdPercent: 80 },
      { id: 2, projectId: 1, type: "hours", thresholdPercent: 100 },
      { id: 3, projectId: 1, type: "hours", thresholdPercent: 70 },
    ]);
    expect(plan.create.map((s) => s.percent)).toEqual([90]);
    expect(plan.resolve.map((r) => [r.alert.id, r.reason])).toEqual([
      [2, "hours usage fell to 91.7% (91 h 40 min of 100 h), under the 100% threshold"],
      [3, "the 70% hours threshold was removed or no longer notifies"],
    ]);
  });

  it("an active alert still crossed takes new figures when its budget or usage changed, and only then", () => {
    const base = { projectId: 1, type: "hours" as const, thresholdPercent: 80 };
    const plan = planProject(states, [
      { id: 1, ...base, used: 5500, budget: 6000 },
      { id: 2, ...base, thresholdPercent: 90, used: 5500, budget: 5000 },
      { id: 3, ...base, thresholdPercent: 100, used: 5400, budget: 6000 },
    ]);
    expect(plan.update.map((u) => [u.alert.id, u.state.used, u.state.budget, u.state.usagePercent])).toEqual([[2, 5500, 6000, 91.7]]);
    expect(plan.resolve.map((r) => r.alert.id)).toEqual([3]);
  });
});
