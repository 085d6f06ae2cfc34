import type { Config } from "../config.ts";
import type { NotificationChannel, OutboxMessage } from "./channels.ts";
import { adminAddresses } from "./recipients.ts";

export const SMTP_TLS_MODES = ["starttls", "tls", "none"] as const;
export type SmtpTls = (typeof SMTP_TLS_MODES)[number];

export interface SmtpSettings {
  host: string;
  port: number;
  /** starttls: upgrade after connecting (587); tls: TLS from the start (465); none: plain (a local relay). */
  tls: SmtpTls;
  user: string | undefined;
  /** From LEADJOBS_SMTP_PASSWORD only: never from the config file or the database. */
  password: string | undefined;
  from: string;
  timeoutMs: number;
}

/** The SMTP settings, or undefined when no smtpHost is set (no email channel). Throws a message naming a bad setting. */
export function smtpSettings(
  config: Pick<Config, "smtpHost" | "smtpPort" | "smtpTls" | "smtpUser" | "smtpFrom">,
  env: Readonly<Record<string, string | undefined>>,
): SmtpSettings | undefined {
  if (!config.smtpHost) return undefined;
  const tls = (config.smtpTls ?? "starttls") as SmtpTls;
  if (!SMTP_TLS_MODES.includes(tls)) throw new Error(`smtpTls "${config.smtpTls}" must be starttls, tls or none`);
  if (!config.smtpFrom) throw new Error("smtpFrom (LEADJOBS_SMTP_FROM) is needed to send email");
  return {
    host: config.smtpHost,
    port: config.smtpPort ?? (tls === "tls" ? 465 : 587),
    tls,
    user: config.smtpUser,
    password: env.LEADJOBS_SMTP_PASSWORD,
    from: config.smtpFrom,
    timeoutMs: 20_000,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Throws a message naming the first `adminEmail` entry that is not an email address. */
export function checkAdminEmail(config: Pick<Config, "adminEmail">): void {
  const bad = adminAddresses(config).find((a) => !EMAIL.test(a));
  if (bad !== undefined) throw new Error(`adminEmail "${bad.slice(0, 200)}" is not an email address`);
}

/**
 * Email through an SMTP server (nodemailer, loaded on first use): one message to the
 * notification's recipient. A refusal or an unreachable server throws, and the outbox retries
 * with backoff; a recipient that is not an email address is a permanent failure of this message.
 */
export function emailChannel(s: SmtpSettings): NotificationChannel {
  let transport: Promise<{ sendMail(o: object): Promise<unknown> }> | undefined;
  const open = async () => {
    const { createTransport } = await import("nodemailer");
    return createTransport({
      host: s.host,
      port: s.port,
      secure: s.tls === "tls",
      requireTLS: s.tls === "starttls",
      ignoreTLS: s.tls === "none",
      ...(s.user ? { auth: { user: s.user, pass: s.password ?? "" } } : {}),
      connectionTimeout: s.timeoutMs,
      greetingTimeout: s.timeoutMs,
      socketTimeout: s.timeoutMs,
    });
  };
  return {
    name: "email",
    immediate: false,
    async send(m: OutboxMessage, signal?: AbortSignal) {
      if (!EMAIL.test(m.recipient)) throw new Error(`email: "${m.recipient}" is not an email address`);
      signal?.throwIfAborted();
      transport ??= open();
      try {
        await (await transport).sendMail(emailOf(s.from, m));
      } catch (e) {
        throw new Error(`email to ${m.recipient} via ${s.host}:${s.port}: ${(e as Error).message}`);
      }
    },
  };
}

export function emailOf(
  from: string,
  m: OutboxMessage,
): { from: string; to: string; subject: string; text: string; messageId: string; headers: Record<string, string> } {
  // A stable Message-ID per notification lets a mail system drop the copy of a retry after a
  // crash between sending and recording.
  return {
    from,
    to: m.recipient,
    subject: m.subject,
    text: m.body,
    messageId: `<notification-${m.id}-${m.createdAt.replace(/[^0-9]/g, "")}@leadjobs>`,
    headers: { "X-Leadjobs-Kind": m.kind },
  };
}
