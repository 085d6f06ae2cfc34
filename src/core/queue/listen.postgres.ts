// PostgreSQL-specific: wakes an idle `process --wait` when jobs are enqueued (enqueue.postgres.ts
// notifies JOBS_CHANNEL in the enqueueing transaction). LISTEN needs a connection of its own, held
// outside the pool: a pooled one may be handed to someone else.
import pg from "pg";
import { connectWithSslFallback } from "../db/connection.postgres.ts";
import { pgConnectionAttempts } from "../db/url.ts";
import type { Random } from "../types.ts";
import { type Backoff, backoffDelay } from "../util/backoff.ts";
import { setLongTimeout, type LongTimer } from "../util/timer.ts";
import { JOBS_CHANNEL } from "./enqueue.postgres.ts";

export interface JobListener {
  /** False while the connection is lost (the worker polls then); true again once it is re-established. */
  readonly live: boolean;
  close(): Promise<void>;
}

export interface JobListenerEvents {
  /** A job was enqueued. */
  onJobs(): void;
  /** The connection dropped; called once per loss, before the first try to listen again. */
  onLost(e: Error): void;
  /** Listening again after a loss. Jobs enqueued while it was lost were not announced. */
  onBack(): void;
}

/** Tries to listen again 1 s after a loss, then doubling up to 1 min, ±20%. */
export const RELISTEN_BACKOFF: Backoff = { delaysMs: [1000], maxDelayMs: 60_000, jitter: 0.2 };

/**
 * Listens for new jobs on its own connection. When that connection drops it says so (`onLost`),
 * tries to listen again with `backoff` until it succeeds or is closed, and says so (`onBack`).
 * Only the first connection's failure is thrown.
 */
export async function listenForJobs(
  url: string,
  events: JobListenerEvents,
  o: { backoff?: Backoff; random?: Random } = {},
): Promise<JobListener> {
  const backoff = o.backoff ?? RELISTEN_BACKOFF;
  const random = o.random ?? Math.random;
  let client: pg.Client | undefined;
  let live = false;
  let closing = false;
  let retry: LongTimer | undefined;
  let failures = 0;

  const lost = (from: pg.Client, e: Error) => {
    if (from !== client || !live || closing) return;
    client = undefined;
    live = false;
    void from.end().catch(() => undefined);
    events.onLost(e);
    scheduleRetry();
  };
  const attempts = pgConnectionAttempts(url);
  // As the pool's connections are made: sslmode=prefer and allow as libpq means them.
  const connect = () => connectWithSslFallback(attempts, connectTo);
  const connectTo = async (connectionString: string): Promise<void> => {
    const c = new pg.Client({ connectionString, application_name: "leadjobs listen" });
    let dropped: Error | undefined;
    const drop = (e: Error) => {
      dropped ??= e;
      lost(c, e);
    };
    c.on("error", drop);
    c.on("end", () => drop(new Error("connection ended")));
    c.on("notification", (n) => {
      if (n.channel === JOBS_CHANNEL) events.onJobs();
    });
    client = c;
    try {
      await c.connect();
      await c.query(`listen ${JOBS_CHANNEL}`);
      // Dropped between LISTEN's reply and here: no 'end' would come again to report it.
      if (dropped) throw dropped;
    } catch (e) {
      if (client === c) client = undefined;
      await c.end().catch(() => undefined);
      throw e;
    }
    if (closing) {
      await c.end().catch(() => undefined);
      return;
    }
    live = true;
  };
  const scheduleRetry = () => {
    failures++;
    retry = setLongTimeout(
      () => {
        retry = undefined;
        if (closing) return;
        connect().then(
          () => {
            if (!live) return;
            failures = 0;
            events.onBack();
          },
          () => {
            if (!closing) scheduleRetry();
          },
        );
      },
      backoffDelay(failures, backoff, random),
      { unref: true },
    );
  };

  await connect();
  return {
    get live() {
      return live;
    },
    close: async () => {
      closing = true;
      live = false;
      retry?.clear();
      await client?.end().catch(() => undefined);
    },
  };
}
