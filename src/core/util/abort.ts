/**
 * A signal of its own for one call, aborted when `parent` aborts, and a `release` that unhooks it.
 * Libraries that add an abort listener to the signal they are given and never remove it (the
 * openai SDK does, per request) then leave nothing on a job's long-lived signal: without this,
 * the 11th model call of a job printed a MaxListenersExceededWarning on stderr.
 */
export function linkedSignal(parent: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, release: () => {} };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  return { signal: controller.signal, release: () => parent.removeEventListener("abort", onAbort) };
}
