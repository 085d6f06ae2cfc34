import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Wakeup } from "../../src/core/runtime/worker.ts";

// The latch an idle `process --wait` sleeps on. A notification (a job enqueued, the listening
// connection lost or back, a job's end, a signal) must never be lost, or the worker sleeps on
// with due work until its next check (10 minutes, or --poll).

/** Whether `p` has settled once pending callbacks ran. */
async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe("Wakeup", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("a notification while the loop is not sleeping, after a sleep that timed out, ends the next sleep at once", async () => {
    const wake = new Wakeup();
    const first = wake.sleep(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await settled(first)).toBe(true);
    wake.notify(); // e.g. a job announced while the loop looked for work
    expect(await settled(wake.sleep(10 * 60_000))).toBe(true);
  });

  it("a notification ends the current sleep and leaves no timer behind", async () => {
    const wake = new Wakeup();
    const sleeping = wake.sleep(10 * 60_000);
    expect(await settled(sleeping)).toBe(false);
    wake.notify();
    expect(await settled(sleeping)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a kept notification ends one sleep only", async () => {
    const wake = new Wakeup();
    wake.notify();
    wake.notify();
    expect(await settled(wake.sleep(60_000))).toBe(true);
    const next = wake.sleep(60_000);
    expect(await settled(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await settled(next)).toBe(true);
  });
});
