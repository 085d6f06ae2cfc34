import { describe, expect, it } from "vitest";
import { ownerGone, workerIdentity } from "../../src/core/runtime/owner.ts";

describe("lease owners: host:pid:boot", () => {
  const me = workerIdentity({ LEADJOBS_HOST: "pi-1" });

  it("names this host (LEADJOBS_HOST overrides it), this process and this boot", () => {
    expect(me.owner).toMatch(new RegExp(`^pi-1:${process.pid}(:[0-9a-f]{8})?$`));
  });

  it("a pid that no longer exists on this host, in this boot, is gone", () => {
    const dead = 2 ** 22 + 17; // above Linux's pid_max: never a live process
    expect(ownerGone(`pi-1:${dead}:${me.boot}`, me)).toBe(true);
    expect(ownerGone(`pi-1:${dead}`, me)).toBe(true); // written before the boot id was added
    expect(ownerGone(`pi-1:${process.pid}:${me.boot}`, me)).toBe(false);
    expect(ownerGone(`pi-1:1:${me.boot}`, me)).toBe(false); // init lives
  });

  it("an owner from an earlier boot of this host is gone, even when its pid is in use again", () => {
    if (!me.boot) return; // not Linux: no boot id
    expect(ownerGone("pi-1:1:00000000", me)).toBe(true);
  });

  it("an owner on another host is never judged from here: only its lease expiring counts", () => {
    expect(ownerGone(`pi-2:${2 ** 22 + 17}:${me.boot}`, me)).toBe(false);
    expect(ownerGone("pi-2:1:00000000", me)).toBe(false);
    expect(ownerGone("garbage", me)).toBe(false);
  });
});
