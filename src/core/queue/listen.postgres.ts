// PostgreSQL-specific: wakes an idle `process --wait` when jobs are enqueued (enqueue.postgres.ts
// notifies JOBS_CHANNEL in the enqueueing transaction). LISTEN needs a connection of its own, held
// outside the pool: a pooled one may be handed to someone else.
import pg from "pg";
import { JOBS_CHANNEL } from "./enqueue.postgres.ts";

export interface JobListener {
  /** False once the connection is lost: the worker falls back to polling. */
  readonly live: boolean;
  close(): Promise<void>;
}

/** Listens for new jobs on its own connection; `onJobs` runs on each notification, `onLost` once if the connection drops. */
export async function listenForJobs(url: string, onJobs: () => void, onLost: (e: Error) => void): Promise<JobListener> {
  const client = new pg.Client({ connectionString: url, application_name: "leadjobs listen" });
  let live = true;
  let closing = false;
  const lost = (e: Error) => {
    if (!live || closing) return;
    live = false;
    onLost(e);
  };
  client.on("error", lost);
  client.on("end", () => lost(new Error("connection ended")));
  client.on("notification", (n) => {
    if (n.channel === JOBS_CHANNEL) onJobs();
  });
  await client.connect();
  await client.query(`listen ${JOBS_CHANNEL}`);
  return {
    get live() {
      return live;
    },
    close: async () => {
      closing = true;
      live = false;
      await client.end().catch(() => undefined);
    },
  };
}
