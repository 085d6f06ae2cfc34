import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { JobDefinition } from "../../src/core/jobs/types.ts";
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

  it("names the path of a string or key over the type's limit, however deep", () => {
    const def = anything({ stringLength: 5 });
    expect(() => parsePayload(def, { a: [1, { b: "123456" }] })).toThrow(
      /^invalid payload for anything: a\.1\.b: 6 characters is too long \(at most 5\): "123456…"$/,
    );
    expect(() => parsePayload(def, { a: { long_key: 1 } })).toThrow(/^invalid payload for anything: a: 8 characters is too long/);
    expect(() => parsePayload(def, "123456")).toThrow(/^invalid payload for anything: payload: 6 characters/);
    expect(parsePayload(def, { abcde: ["12345", "\n\n\n\n\n"] })).toEqual({ abcde: ["12345", "\n\n\n\n\n"] });
  });

  it("counts a payload's JSON in UTF-8 bytes: at the limit passes, one byte over is refused", () => {
    for (const value of [{ s: "å".repeat(30) }, { s: "\u0001".repeat(10) }, { s: "😀".repeat(15) }, ["x", 1.5, null, true]]) {
      const bytes = Buffer.byteLength(JSON.stringify(value));
      expect(parsePayload(anything({ payloadBytes: bytes }), value)).toEqual(value);
      expect(() => parsePayload(anything({ payloadBytes: bytes - 1 }), value)).toThrow(
        `invalid payload for anything: ${bytes} bytes of JSON is too large (at most ${bytes - 1})`,
      );
    }
  });

  it("counts what JSON.stringify makes of a value with toJSON, however short the object", () => {
    const rendered = { toJSON: () => "x".repeat(100) };
    expect(() => parsePayload(anything({ payloadBytes: 100 }), { a: rendered })).toThrow(
      "invalid payload for anything: 108 bytes of JSON is too large (at most 100)",
    );
    const at = { when: new Date(Date.UTC(2026, 0, 2)) };
    const bytes = JSON.stringify(at).length;
    expect(parsePayload(anything({ payloadBytes: bytes }), at)).toBe(at);
    expect(() => parsePayload(anything({ payloadBytes: bytes - 1 }), at)).toThrow(`${bytes} bytes of JSON is too large`);
  });

  it("rejects an unknown type with the known ones as a hint", async () => {
    await expect(loadJobType("nope")).rejects.toMatchObject({
      message: 'unknown job type "nope"',
      exitCode: 2,
      hint: expect.stringMatching(/noop/),
    });
  });
});

/** A type that takes any JSON payload, with the given limits. */
function anything(limits: NonNullable<JobDefinition["limits"]>): JobDefinition {
  return { type: "anything", summary: "", payload: z.unknown(), limits, run: async () => undefined };
}

describe("NDJSON", () => {
  it("skips blank lines and keeps line numbers", () => {
    expect(parseNdjson('{"a":1}\n\n  \n{"b":2}\r\n', "f")).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { b: 2 } },
    ]);
  });

  it("rejects the input at the first bad line", () => {
    expect(() => parseNdjson('{"a":1}\n{"b":\n{"c":3}', "jobs.ndjson")).toThrow(
      /^jobs\.ndjson is not valid JSON at line 2 column 6 \(it ends too early\)$/,
    );
  });
});
