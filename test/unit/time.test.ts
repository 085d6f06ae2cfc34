import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/core/time.ts";

describe("durations", () => {
  it.each([
    ["500ms", 500], ["30s", 30_000], ["10m", 600_000], ["2h", 7_200_000], ["7d", 604_800_000], ["1h30m", 5_400_000], ["1.5s", 1500],
  ])("parses %s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "10", "ten minutes", "5x", "-3s", "1h 30m"])("rejects %j with a usage error", (text) => {
    expect(() => parseDuration(text, "--lease")).toThrow(/invalid --lease/);
  });

  it("formats for humans", () => {
    expect(formatDuration(950)).toBe("950ms");
    expect(formatDuration(12_000)).toBe("12s");
    expect(formatDuration(250_000)).toBe("4m 10s");
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 5000)).toBe("2d 4h");
  });
});
