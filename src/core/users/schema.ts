import type { Generated } from "kysely";
import type { Instant } from "../time.ts";

/** The people who act (owners of schedules and trackings, actors in the audit trail). */
export interface UserTables {
  app_user: AppUserTable;
}

export const USER_ROLES = ["admin", "manager", "sales"] as const;

export type UserRole = (typeof USER_ROLES)[number];

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string | null;
  email: string | null;
  role: UserRole;
  created_at: Instant;
}
