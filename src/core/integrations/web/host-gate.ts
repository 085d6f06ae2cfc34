import { sleep } from "../../util/sleep.ts";

/**
 * Politeness: at most one request at a time per host (host[:port]) and at least `delayMs`
 * between the end of one request and the start of the next to the same host.
 */
export class HostGate {
  readonly delayMs: number;
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastEnd = new Map<string, number>();
  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  async run<T>(host: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.tails.get(host) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(host, tail);
    try {
      await previous;
      const wait = (this.lastEnd.get(host) ?? 0) + this.delayMs - Date.now();
      if (wait > 0) await sleep(wait, signal);
      signal?.throwIfAborted();
      return await fn();
    } finally {
      this.lastEnd.set(host, Date.now());
      release();
      if (this.tails.get(host) === tail) this.tails.delete(host);
    }
  }
}

const gates = new Map<number, HostGate>();

/** One gate per process (per delay), shared by every batch running in it. */
export function sharedHostGate(delayMs: number): HostGate {
  let g = gates.get(delayMs);
  if (!g) gates.set(delayMs, (g = new HostGate(delayMs)));
  return g;
}
