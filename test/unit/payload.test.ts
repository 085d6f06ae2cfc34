import { describe, expect, it } from "vitest";
import { loadJobType } from "../../src/job-types.ts";
import { parsePayload } from "../../src/core/jobs/payload.ts";
import { parseNdjson } from "../../src/core/queue/ndjson.ts";

describe("payload validation", () => {
  it("accepts a valid noop payload and fills nothing in", async () => {
    const noop = await loadJobType("noop");
    expect(parsePayload(noop, { sleepMs: 5, failTimes: 1 })).toEqual({ sleepMs: 5, failTimes: 1 });
    expect(parsePayload(noop, {})).toEqual({});
  });

  it("names every bad field on one line", async () => {
    const noop = await loadJobType("noop");
    expect(() => parsePayload(noop, { sleepMs: -1, failTimes: "x" }, " on line 7")).toThrow(
      /^invalid payload for noop on line 7: sleepMs: .*; failTimes: .*$/,
    );
    expect(() => parsePayload(noop, [])).toThrow(/invalid payload for noop: payload: /);
  });

  it("rejects an unknown type with the known ones as a hint", async () => {
    await expect(loadJobType("nope")).rejects.toMatchObject({
      message: 'unknown job type "nope"',
      exitCode: 2,
      hint: expect.stringMatching(/noop/),
    });
  });
});

describe("NDJSON", () => {
  it("skips blank lines and keeps line numbers", () => {
    expect(parseNdjson('{"a":1}\n\n  \n{"b":2}\r\n', "f")).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { b: 2 } },
    ]);
  });

  it("rejects the input at the first bad line", () => {
    expect(() => parseNdjson('{"a":1}\n{"b":\n{"c":3}', "jobs.ndjson")).toThrow(/^line 2 of jobs\.ndjson is not valid JSON/);
  });
});
