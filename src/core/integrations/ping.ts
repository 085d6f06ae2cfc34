import { ExitCode, UsageError } from "../errors.ts";
import { setLongTimeout, timerMs } from "../util/timer.ts";

/**
 * Dead man's switch pings, Healthchecks style: `URL/start` when a run starts, `URL` on
 * success, `URL/<exit code>` on failure and `URL/log` for exit 75 (busy: try again later, not
 * a failure). Every ping carries `?rid=<run id>` so overlapping runs pair up. A ping never
 * throws: a monitoring outage must not fail the work.
 */
export type PingEvent = { kind: "start" } | { kind: "end"; exitCode: number };

export interface PingResult {
  url: string;
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** Checks a --ping-url; a bad one is a UsageError. */
export function parsePingUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`invalid --ping-url "${text}": not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`invalid --ping-url "${text}": use http:// or https://`);
  return url;
}

/** The suffix for an event: /start, none (success), /log (exit 75) or /<exit code>. */
export function pingSuffix(e: PingEvent): string {
  if (e.kind === "start") return "/start";
  if (e.exitCode === ExitCode.Ok) return "";
  if (e.exitCode === ExitCode.TempFail) return "/log";
  return `/${e.exitCode}`;
}

export function pingTarget(base: URL, e: PingEvent, runId: string): URL {
  const url = new URL(base.href);
  url.pathname = url.pathname.replace(/\/+$/, "") + pingSuffix(e);
  url.searchParams.set("rid", runId);
  return url;
}

/** Sends one ping (POST, `body` as its log); resolves with what happened, never rejects. */
export async function sendPing(base: URL, e: PingEvent, runId: string, o: { timeoutMs: number; body?: string }): Promise<PingResult> {
  const url = pingTarget(base, e, runId);
  const body = Buffer.from(o.body ?? "");
  // Loaded only when a ping is sent: every cron run without --ping-url would pay for node:http.
  const { request: send } = url.protocol === "https:" ? await import("node:https") : await import("node:http");
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<PingResult, "url">) => {
      if (!settled) resolve({ url: url.href, ...r });
      settled = true;
    };
    const req = send(
      url,
      {
        method: "POST",
        agent: false, // no keep-alive: a cron run must not wait for an idle socket to close
        timeout: timerMs(o.timeoutMs),
        headers: { "content-type": "text/plain; charset=utf-8", "content-length": body.length, "user-agent": "leadjobs" },
      },
      (res) => {
        res.resume(); // the status is all we need
        done({ ok: (res.statusCode ?? 0) < 400, status: res.statusCode ?? null, error: null });
      },
    );
    const timer = setLongTimeout(
      () => {
        req.destroy(new Error(`no answer within ${o.timeoutMs} ms`));
      },
      o.timeoutMs,
      { unref: true },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
    req.on("error", (err) => done({ ok: false, status: null, error: err.message }));
    req.on("close", () => {
      timer.clear();
      done({ ok: false, status: null, error: "connection closed" });
    });
    req.end(body);
  });
}
