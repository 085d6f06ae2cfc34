// What a worker run counts, in a module of its own: the idle fast path (src/fast.ts) reports the
// same summary without loading the worker.

export type StopReason = "drained" | "max-jobs" | "max-runtime" | "signal" | "disk-full";

export interface WorkerSummary {
  claimed: number;
  completed: number;
  retried: number;
  snoozed: number;
  died: number;
  cancelled: number;
  released: number;
  /** Attempts whose lease another worker took over. */
  lost: number;
  stoppedBy: StopReason;
}

/** The summary of a run that has not claimed anything (yet). */
export function emptyWorkerSummary(): WorkerSummary {
  return { claimed: 0, completed: 0, retried: 0, snoozed: 0, died: 0, cancelled: 0, released: 0, lost: 0, stoppedBy: "drained" };
}
