import type { Config } from "../config.ts";
import type { Db } from "../db/handle.ts";
import type { DeadJob } from "../queue/ended.ts";
import { configuredChannels } from "./channels.ts";
import { DELIVER_JOB_TYPE, enqueueNotifications } from "./outbox.ts";
import { addressed, adminAddresses } from "./recipients.ts";

/**
 * Tells the operators that jobs died, through the same outbox as budget alerts, inside the
 * transaction that recorded the deaths: one webhook post, and an email to each `adminEmail`
 * address. Only the background channels are used (the worker itself logs deaths on stderr); the
 * deliverer's own death is not announced, or a broken webhook or mail server would feed itself.
 * Dedupe keys (job, attempts, address) keep a death from being announced twice.
 */
export async function noticeDeadJobs(trx: Db, jobs: readonly DeadJob[], config: Config, now: number): Promise<void> {
  const announced = jobs.filter((j) => j.type !== DELIVER_JOB_TYPE);
  if (announced.length === 0) return;
  const channels = configuredChannels(config).filter((c) => c === "webhook" || c === "email");
  const to = adminAddresses(config).map((address) => ({ address }));
  await enqueueNotifications(
    trx,
    announced.flatMap((j) =>
      addressed(
        {
          kind: "job.dead",
          subject: `leadjobs: job ${j.id} (${j.type}) died after ${j.attempts} attempt${j.attempts === 1 ? "" : "s"}`,
          body: j.error,
          data: { type: j.type, id: j.id, error: j.error, attempts: j.attempts },
          dedupeKey: `job.dead:${j.id}:${j.attempts}`,
        },
        to,
        channels,
        "operators",
      ),
    ),
    now,
  );
}
