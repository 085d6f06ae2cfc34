import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** The people who act (owners of schedules and trackings, actors in the audit trail). */
export interface UserTables {
  app_user: AppUserTable;
  user_os_account: UserOsAccountTable;
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
  /**
   * Set by `users add` (migration 0012): the row is a user who may act. Rows made on the fly
   * (`track --as`, back-office imports, the seed) have none. No defined row: single-operator mode.
   */
  defined_at: Instant | null;
}
export type AppUserRow = Selectable<AppUserTable>;

/** An OS account that acts as a user (migration 0012). */
export interface UserOsAccountTable {
  os_account: string;
  user_id: number;
  created_at: Instant;
}
