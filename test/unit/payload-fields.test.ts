import { z } from "zod";
import { describe, expect, it } from "vitest";
import { payloadForms } from "../../src/core/jobs/payload-fields.ts";
import { leadsSearchPayload } from "../../src/core/leads/payloads.ts";

describe("payloadForms: a payload's fields from its zod schema", () => {
  it("names, types with ranges, required or default, descriptions; fields of object fields dotted", () => {
    const schema = z.strictObject({
      id: z.number().int().min(1).describe("what to work on"),
      mode: z.enum(["fast", "slow"]).default("fast").describe("how"),
      tags: z.array(z.string()).max(5).optional(),
      ref: z.union([z.string().min(1), z.number().int().positive()]).describe("name or id"),
      where: z.strictObject({ town: z.string().describe("a town") }).optional(),
    });
    expect(payloadForms(schema)).toEqual([
      [
        { name: "id", type: "integer 1..", required: true, description: "what to work on" },
        { name: "mode", type: "fast|slow", required: false, default: "fast", description: "how" },
        { name: "tags", type: "string[], at most 5 items", required: false, description: null },
        { name: "ref", type: "string|integer 1..", required: true, description: "name or id" },
        { name: "where", type: "object", required: false, description: null },
        { name: "where.town", type: "string", required: true, description: "a town" },
      ],
    ]);
  });

  it("a union of objects is one list per form; no fields is an empty list", () => {
    const forms = payloadForms(
      z.union([z.strictObject({ batch: z.number().int() }), z.strictObject({ urls: z.array(z.string()).min(1) })]),
    );
    expect(forms.map((f) => f.map((x) => `${x.name}: ${x.type}`))).toEqual([["batch: integer"], ["urls: string[], at least 1 item"]]);
    expect(payloadForms(z.strictObject({}))).toEqual([[]]);
  });

  it("follows the schema: a field added to a payload is listed with its description", () => {
    const fields = payloadForms(leadsSearchPayload.extend({ extra: z.boolean().describe("new") }))[0] ?? [];
    expect(fields.map((f) => f.name).filter((n) => !n.includes("."))).toEqual([...Object.keys(leadsSearchPayload.shape), "extra"]);
    expect(fields.find((f) => f.name === "max_results")).toEqual(expect.objectContaining({ type: "integer 10..500", default: 50 }));
  });
});
