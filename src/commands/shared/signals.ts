export interface StopSignals {
  /** Aborted on the first SIGINT/SIGTERM. */
  stop: AbortSignal;
  /** Aborted on the second. */
  kill: AbortSignal;
  dispose(): void;
}

/** First SIGINT/SIGTERM: stop gracefully; second: stop now. */
export function onStopSignals(): StopSignals {
  const stop = new AbortController();
  const kill = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (!stop.signal.aborted) {
      process.stderr.write(`leadjobs: ${signal}: finishing running jobs (again to stop now)\n`);
      stop.abort(signal);
    } else kill.abort(signal);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    stop: stop.signal,
    kill: kill.signal,
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
