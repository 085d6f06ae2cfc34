import { describe, expect, expectTypeOf, it } from "vitest";
import { envName, resolveConfig, type Config } from "../../src/core/config.ts";

describe("config precedence: flag > env > file > default", () => {
  const env = { HOME: "/home/anna", LEADJOBS_CONCURRENCY: "3", LEADJOBS_LEASE: "45s" };

  it("takes the flag over env, file and default", () => {
    const c = resolveConfig({ concurrency: "8" }, env, { concurrency: 2 });
    expect(c.concurrency).toBe(8);
  });

  it("takes env over the file", () => {
    const c = resolveConfig({}, env, { concurrency: 2, lease: "1m" });
    expect(c.concurrency).toBe(3);
    expect(c.lease).toBe(45_000);
  });

  it("takes the file over the default", () => {
    const c = resolveConfig({}, { HOME: "/h" }, { concurrency: 2, grace: "1m" });
    expect(c.concurrency).toBe(2);
    expect(c.grace).toBe(60_000);
    expect(c.poll).toBe(1000);
  });

  it("puts the default database under XDG_DATA_HOME, else ~/.local/share", () => {
    expect(resolveConfig({}, { HOME: "/home/anna" }, {}).db).toBe("/home/anna/.local/share/leadjobs/leadjobs.db");
    expect(resolveConfig({}, { HOME: "/home/anna", XDG_DATA_HOME: "/data" }, {}).db).toBe("/data/leadjobs/leadjobs.db");
    expect(resolveConfig({}, { HOME: "/h", LEADJOBS_DB: "/x.db" }, {}).db).toBe("/x.db");
    expect(resolveConfig({ db: "/y.db" }, { HOME: "/h", LEADJOBS_DB: "/x.db" }, {}).db).toBe("/y.db");
  });

  it("names the source of a bad value", () => {
    expect(() => resolveConfig({}, { LEADJOBS_CONCURRENCY: "many" }, {})).toThrow(/LEADJOBS_CONCURRENCY/);
    expect(() => resolveConfig({ concurrency: "0" }, {}, {})).toThrow(/--concurrency.*>= 1/);
    expect(() => resolveConfig({}, {}, { lease: "soon" })).toThrow(/config file key "lease"/);
  });

  it("refuses an unknown config-file key, suggesting the nearest known one", () => {
    expect(() => resolveConfig({}, {}, { concurency: 3 } as never)).toThrow(
      /^unknown config key "concurency" \(did you mean "concurrency"\?\)$/,
    );
    expect(() => resolveConfig({}, {}, { zzzzzzzzzzzz: 1 } as never)).toThrow(/^unknown config key "zzzzzzzzzzzz"$/);
    expect(resolveConfig({}, {}, { $schema: "x", concurrency: 3 } as never)).toMatchObject({ concurrency: 3 });
  });

  it("refuses a lease, poll or ping timeout too short to work, and negative durations", () => {
    expect(() => resolveConfig({ lease: "0s" }, {}, {})).toThrow(/invalid --lease "0s": expected at least 1s/);
    expect(() => resolveConfig({ poll: "0ms" }, {}, {})).toThrow(/invalid --poll "0ms": expected at least 10ms/);
    expect(() => resolveConfig({}, { LEADJOBS_PING_TIMEOUT: "0s" }, {})).toThrow(/LEADJOBS_PING_TIMEOUT/);
    expect(() => resolveConfig({}, {}, { grace: -5 })).toThrow(/config file key "grace" "-5"/);
    expect(resolveConfig({ grace: "0s", lease: "1s", poll: "10ms" }, {}, {})).toMatchObject({ grace: 0, lease: 1000, poll: 10 });
  });

  it("types settings without a default (or whose default needs HOME) as possibly absent, the others as present", () => {
    const c = resolveConfig({}, {}, {});
    for (const key of [
      "notifyWebhook",
      "webAllowHosts",
      "webUserAgent",
      "webFingerprints",
      "llmModel",
      "llmPrices",
      "llmBaseUrl",
      "brandCollectors",
      "db",
      "storageRoot",
    ] as const) {
      expect(c[key], key).toBeUndefined();
    }
    expectTypeOf<Config["notifyWebhook"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config["db"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config["concurrency"]>().toEqualTypeOf<number>();
    expectTypeOf<Config["scheduleTimezone"]>().toEqualTypeOf<string>();
    expectTypeOf<Config["webAllowPrivate"]>().toEqualTypeOf<boolean>();
  });

  it("derives env names from keys", () => {
    expect(envName("busyTimeout")).toBe("LEADJOBS_BUSY_TIMEOUT");
  });
});
