import type { Config } from "../config.ts";
import type { JsonValue } from "../types.ts";

/**
 * How a notification reaches people:
 * - `webhook`: a Slack-compatible JSON POST to the `notifyWebhook` URL; delivered in the
 *   background (the `notify.deliver` job) and retried with backoff until it succeeds;
 * - `email`: one message to the recipient through the `smtpHost` SMTP server; delivered in the
 *   background like the webhook, with the same retries;
 * - `output`: printed by the leadjobs command that flushes the outbox (`leadjobs alerts`),
 *   so cron mails it. It cannot fail.
 */
export const CHANNEL_NAMES = ["webhook", "email", "output"] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** A notification as a channel sees it. */
export interface OutboxMessage {
  id: number;
  kind: string;
  tenantId: number | null;
  userId: number | null;
  recipient: string;
  subject: string;
  body: string;
  data: { [key: string]: JsonValue };
  createdAt: string;
  attempts: number;
}

export interface NotificationChannel {
  name: ChannelName;
  /** True for channels that cannot fail and need no retry schedule (output). */
  immediate: boolean;
  send(message: OutboxMessage, signal?: AbortSignal): Promise<void>;
}

/** The channels new notifications must go through, from the settings. */
export function configuredChannels(config: Pick<Config, "notifyWebhook" | "notifyOutput" | "smtpHost">): ChannelName[] {
  const out: ChannelName[] = [];
  if (config.notifyWebhook) out.push("webhook");
  if (config.smtpHost) out.push("email");
  if (config.notifyOutput) out.push("output");
  return out;
}

/** The output channel: hands each message to `sink` (the command prints them). */
export function outputChannel(sink: (message: OutboxMessage) => void): NotificationChannel {
  return { name: "output", immediate: true, send: async (m) => sink(m) };
}
