import type { Generated, Selectable } from "kysely";
import type { IsoDate } from "../backoffice/schema.ts";
import type { Instant } from "../time.ts";

/** Project budgets, their thresholds, what was spent against them, and the alerts (money in öre, hours in minutes). */
export interface BudgetTables {
  project_budget: ProjectBudgetTable;
  budget_threshold: BudgetThresholdTable;
  time_entry: TimeEntryTable;
  material_cost: MaterialCostTable;
  budget_alert: BudgetAlertTable;
}

export interface ProjectBudgetTable {
  project_id: number;
  hours_minutes: number | null;
  material_ore: number | null;
  total_ore: number | null;
  created_at: Instant;
  updated_at: Instant;
}

/**
 * Bounds on what is spent against a budget, so a project's usage (sums of minutes, of minutes ×
 * rate / 60 and of material costs) stays exact as a number (below 2^53 öre): an entry costs at
 * most 100 000 000 kr (1 000 hours at 100 000 kr an hour; a material cost of 100 000 000 kr),
 * so a project's sums stay exact up to 900 000 entries at the maximum each. A budget in minutes
 * fits PostgreSQL's `integer` column.
 */
export const SPENDING_LIMITS = {
  /** A time entry's minutes: 1 000 hours. */
  entryMinutes: 60_000,
  /** A time entry's hourly rate: 100 000 kr. */
  hourlyRateOre: 10_000_000,
  /** A material cost, either sign: 100 000 000 kr. */
  materialOre: 10_000_000_000,
  /** A budget of hours: 10 000 000 minutes (about 166 667 hours). */
  budgetMinutes: 10_000_000,
} as const;

export const BUDGET_TYPES = ["hours", "material", "total"] as const;

export type BudgetType = (typeof BUDGET_TYPES)[number];

export interface BudgetThresholdTable {
  id: Generated<number>;
  project_id: number;
  type: BudgetType;
  percent: number;
  notify: 0 | 1;
}

export interface TimeEntryTable {
  id: Generated<number>;
  project_id: number;
  /** The operator's own id (`backoffice import`); null for rows made here. */
  external_id: Generated<string | null>;
  user_id: number | null;
  work_date: IsoDate;
  minutes: number;
  hourly_rate_ore: number;
  description: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface MaterialCostTable {
  id: Generated<number>;
  project_id: number;
  /** The operator's own id (`backoffice import`); null for rows made here. */
  external_id: Generated<string | null>;
  cost_date: IsoDate;
  description: string;
  amount_ore: number;
  created_at: Instant;
  updated_at: Instant;
}

export interface BudgetAlertTable {
  id: Generated<number>;
  tenant_id: number;
  project_id: number;
  type: BudgetType;
  threshold_percent: number;
  /** Minutes (hours) or öre (material, total) when the alert was created. */
  used: number;
  budget: number;
  usage_percent: number;
  status: "active" | "resolved";
  created_at: Instant;
  created_by: string;
  resolved_at: Instant | null;
  resolved_by: string | null;
  resolution: string | null;
}

export type BudgetAlertRow = Selectable<BudgetAlertTable>;
