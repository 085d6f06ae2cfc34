import type { JobAttemptRow, JobRow } from "../../core/queue/schema.ts";
import { parseStoredJson } from "../../core/util/stored-json.ts";

const parse = (text: string | null): unknown => (text === null ? null : parseStoredJson(text));

/** The stable JSON shape of a job in every command's --json output. */
export function jobJson(j: JobRow) {
  return {
    id: j.id,
    type: j.type,
    state: j.state,
    payload: parse(j.payload),
    priority: j.priority,
    runAt: j.run_at,
    attempts: j.attempts,
    maxAttempts: j.max_attempts,
    dedupeKey: j.dedupe_key,
    leaseOwner: j.lease_owner,
    leaseExpiresAt: j.lease_expires_at,
    cancelRequestedAt: j.cancel_requested_at,
    progress: parse(j.progress),
    result: parse(j.result),
    lastError: j.last_error,
    createdAt: j.created_at,
    updatedAt: j.updated_at,
    startedAt: j.started_at,
    finishedAt: j.finished_at,
    scheduleId: j.schedule_id,
    batchId: j.batch_id,
    dependsOn: j.depends_on,
    waitingForDependency: j.blocked === 1,
    timeoutMs: j.timeout_ms,
  };
}

export function attemptJson(a: Omit<JobAttemptRow, "id">) {
  return {
    attempt: a.attempt,
    worker: a.worker,
    startedAt: a.started_at,
    finishedAt: a.finished_at,
    outcome: a.outcome,
    durationMs: a.duration_ms,
    error: a.error,
    metrics: parse(a.metrics),
  };
}
