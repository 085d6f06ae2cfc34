import type { BudgetType } from "./schema.ts";
import { formatKronor } from "../domain/money.ts";

/**
 * Budget usage, decided exactly in integers:
 * - hours: minutes logged / the hours budget (in minutes);
 * - material: material costs / the material budget (öre);
 * - total: time cost (each entry's minutes × hourly rate / 60, rounded to öre) + material
 *   costs / the total budget (öre).
 * A threshold of P % is crossed when used × 100 >= budget × P: at exactly 80 % an 80 % threshold
 * is crossed, one minute or öre under it is not.
 */
export interface ProjectUsage {
  projectId: number;
  tenantId: number;
  name: string;
  budget: { hours: number | null; material: number | null; total: number | null };
  thresholds: ReadonlyArray<{ type: BudgetType; percent: number; notify: boolean }>;
  usedMinutes: number;
  timeCostOre: number;
  materialOre: number;
}

export interface ThresholdState {
  type: BudgetType;
  percent: number;
  notify: boolean;
  used: number;
  budget: number;
  /** used / budget in percent, one decimal: for people, not for decisions. */
  usagePercent: number;
  crossed: boolean;
}

/** Bad budget data in one project; the run goes on with the others. */
export class BudgetDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BudgetDataError";
  }
}

export function usedFor(p: ProjectUsage, type: BudgetType): number {
  switch (type) {
    case "hours":
      return p.usedMinutes;
    case "material":
      return p.materialOre;
    case "total":
      return p.timeCostOre + p.materialOre;
  }
}

export function isCrossed(used: number, budget: number, percent: number): boolean {
  return BigInt(used) * 100n >= BigInt(budget) * BigInt(percent);
}

export function usagePercent(used: number, budget: number): number {
  return budget > 0 ? Math.round((used * 1000) / budget) / 10 : 0;
}

/** Every threshold's state; throws BudgetDataError when a threshold has no usable budget. */
export function evaluateProject(p: ProjectUsage): ThresholdState[] {
  return p.thresholds.map((t) => {
    const budget = p.budget[t.type];
    if (budget === null) throw new BudgetDataError(`${t.type} threshold of ${t.percent}% but no ${t.type} budget`);
    if (!Number.isSafeInteger(budget) || budget <= 0)
      throw new BudgetDataError(`the ${t.type} budget is ${budget}: a threshold needs a budget above 0`);
    const used = usedFor(p, t.type);
    return {
      type: t.type,
      percent: t.percent,
      notify: t.notify,
      used,
      budget,
      usagePercent: usagePercent(used, budget),
      crossed: isCrossed(used, budget, t.percent),
    };
  });
}

export interface ActiveAlert {
  id: number;
  projectId: number;
  type: BudgetType;
  thresholdPercent: number;
  /** The figures the alert carries (minutes or öre); without them it is never refreshed. */
  used?: number;
  budget?: number;
  usagePercent?: number;
}

export interface AlertPlan {
  create: ThresholdState[];
  resolve: Array<{ alert: ActiveAlert; reason: string }>;
  /** Active alerts still crossed whose budget or usage changed: they take the new figures. */
  update: Array<{ alert: ActiveAlert; state: ThresholdState }>;
}

/**
 * What to change for one evaluated project: an alert for every notifying threshold that is
 * crossed and has no active alert; a resolution for every active alert whose threshold is no
 * longer crossed (or no longer exists or notifies); new figures for an active alert that stays
 * crossed while its budget or usage changed.
 */
export function planProject(states: readonly ThresholdState[], active: readonly ActiveAlert[]): AlertPlan {
  const key = (type: string, percent: number) => `${type}:${percent}`;
  const activeKeys = new Set(active.map((a) => key(a.type, a.thresholdPercent)));
  const create = states.filter((s) => s.notify && s.crossed && !activeKeys.has(key(s.type, s.percent)));
  const resolve: AlertPlan["resolve"] = [];
  const update: AlertPlan["update"] = [];
  for (const a of active) {
    const s = states.find((x) => x.type === a.type && x.percent === a.thresholdPercent);
    if (!s?.notify) resolve.push({ alert: a, reason: `the ${a.thresholdPercent}% ${a.type} threshold was removed or no longer notifies` });
    else if (!s.crossed)
      resolve.push({
        alert: a,
        reason: `${a.type} usage fell to ${s.usagePercent}% (${describeAmount(a.type, s.used)} of ${describeAmount(a.type, s.budget)}), under the ${a.thresholdPercent}% threshold`,
      });
    else if ((a.used !== undefined && a.used !== s.used) || (a.budget !== undefined && a.budget !== s.budget))
      update.push({ alert: a, state: s });
  }
  return { create, resolve, update };
}

/** Minutes as "12 h 30 min", öre as "1 234,50 kr". */
export function describeAmount(type: BudgetType, value: number): string {
  if (type === "hours") {
    const h = Math.trunc(value / 60);
    const m = Math.abs(value % 60);
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  return formatKronor(value).replace(/\u00a0/g, " ");
}
