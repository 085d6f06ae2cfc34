import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { onTestFinished } from "vitest";

export interface SmtpSink {
  port: number;
  /** Messages accepted, in order: envelope recipients and the raw message. */
  received: Array<{ to: string[]; raw: string }>;
  /** RCPT TO attempts refused. */
  refused: number;
  /** Refuse this many recipients (550) before accepting. */
  refuseFirst: number;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (plain, no auth), closed after the test. */
export async function smtpSink(o: { port?: number; refuseFirst?: number } = {}): Promise<SmtpSink> {
  const state: SmtpSink = { port: 0, received: [], refused: 0, refuseFirst: o.refuseFirst ?? 0, close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (state.refused < state.refuseFirst) {
        state.refused++;
        const e = new Error("mailbox unavailable") as Error & { responseCode: number };
        e.responseCode = 550;
        return callback(e);
      }
      callback();
    },
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (d: Buffer) => (raw += d.toString()));
      stream.on("end", () => {
        state.received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, "127.0.0.1", () => resolve());
  });
  state.port = (server.server.address() as AddressInfo).port;
  let closed = false;
  state.close = () =>
    closed
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          closed = true;
          server.close(() => resolve());
        });
  onTestFinished(() => state.close());
  return state;
}

/** The environment that sends leadjobs' email to this server. */
export const smtpEnv = (port: number): Record<string, string> => ({
  LEADJOBS_SMTP_HOST: "127.0.0.1",
  LEADJOBS_SMTP_PORT: String(port),
  LEADJOBS_SMTP_TLS: "none",
  LEADJOBS_SMTP_FROM: "leadjobs@acme.example",
});
