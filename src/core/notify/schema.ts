import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** The outbox of notifications (budget alerts, dead jobs) and their delivery state. */
export interface NotifyTables {
  notification: NotificationTable;
}

export const NOTIFICATION_STATUSES = ["pending", "sent", "failed", "skipped"] as const;

export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface NotificationTable {
  id: Generated<number>;
  kind: string;
  tenant_id: number | null;
  user_id: number | null;
  recipient: string;
  subject: string;
  body: string;
  /** JSON object. */
  data: string;
  /** JSON array of channel names it must go through. */
  channels: string;
  /** JSON array of channel names it went through. */
  delivered_channels: string;
  status: NotificationStatus;
  attempts: number;
  next_attempt_at: Instant | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Instant;
  sent_at: Instant | null;
}

export type NotificationRow = Selectable<NotificationTable>;
