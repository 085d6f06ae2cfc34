import type { NotificationChannel, OutboxMessage } from "./channels.ts";
import { timeoutSignal } from "../util/timer.ts";

export interface WebhookOptions {
  /** Per request. */
  timeoutMs?: number;
}

/**
 * A Slack-compatible incoming webhook: POST {"text": ...} as JSON. The `leadjobs` member carries
 * the notification's id, kind and data for receivers that want more than text (and lets them
 * drop a duplicate after a crash between sending and recording). Any 2xx is success.
 */
export function webhookChannel(url: string, o: WebhookOptions = {}): NotificationChannel {
  const timeoutMs = o.timeoutMs ?? 10_000;
  return {
    name: "webhook",
    immediate: false,
    async send(m: OutboxMessage, signal?: AbortSignal) {
      const timeout = timeoutSignal(timeoutMs);
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", "user-agent": "leadjobs" },
        body: JSON.stringify(webhookBody(m)),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      }).catch((e: unknown) => {
        throw new Error(`webhook ${describeUrl(url)}: ${timeout.aborted ? `no answer within ${timeoutMs}ms` : causeOf(e)}`);
      });
      const text = await res.text().catch(() => "");
      if (!res.ok)
        throw new Error(`webhook ${describeUrl(url)} answered HTTP ${res.status}${text ? `: ${text.slice(0, 200).trim()}` : ""}`);
    },
  };
}

export function webhookBody(m: OutboxMessage): { text: string; leadjobs: Record<string, unknown> } {
  return {
    text: `*${m.subject}*\n${m.body}`,
    leadjobs: { id: m.id, kind: m.kind, tenantId: m.tenantId, recipient: m.recipient, data: m.data, createdAt: m.createdAt },
  };
}

/** The URL without its path: webhook paths are secrets (Slack's are). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "(invalid URL)";
  }
}

/** True for an http(s) URL. */
export function isWebhookUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}
