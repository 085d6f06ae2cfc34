import { describe, expect, it } from "vitest";
import { payloadForms } from "../../src/core/jobs/payload-fields.ts";
import { NAMED_REFERENCES, namingFields, renamedPayload, type NamedThing } from "../../src/core/jobs/named-references.ts";
import { JOB_TYPES, loadJobType } from "../../src/job-types.ts";

const byName: NamedThing = { kind: "terminal", naming: (v) => (v === "3" ? "id" : v === "stock" || v === "Stockholm" ? "name" : null) };

describe("payload fields that name a terminal or a brand", () => {
  it("every listed field exists in its type's payload, and every field that names one is listed", async () => {
    for (const type of JOB_TYPES) {
      const fields = payloadForms((await loadJobType(type)).payload).flat();
      for (const kind of ["terminal", "brand"] as const) {
        const listed: readonly string[] = (NAMED_REFERENCES[kind] as Record<string, readonly string[]>)[type] ?? [];
        for (const path of listed)
          expect(
            fields.map((f) => f.name),
            `${type} ${path}`,
          ).toContain(path);
        const naming = fields.filter((f) => new RegExp(`\\b${kind}\\b.*\\b(name|id)\\b|^${kind} name`).test(f.description ?? ""));
        expect(naming.map((f) => f.name).sort(), `${type}: fields that name a ${kind}`).toEqual([...new Set(listed)].sort());
      }
    }
  });

  it("a rename rewrites the fields that name it by name, keeps ids and other values", () => {
    const payload = JSON.stringify({ selector: { terminal: "stock", limit: 5 }, model: "x" });
    expect(namingFields("leads.analyze", payload, byName)).toEqual([{ path: "selector.terminal", naming: "name" }]);
    expect(JSON.parse(renamedPayload("leads.analyze", payload, byName, "Sthlm City") ?? "")).toEqual({
      selector: { terminal: "Sthlm City", limit: 5 },
      model: "x",
    });
    expect(renamedPayload("leads.analyze", JSON.stringify({ selector: { terminal: "3" } }), byName, "Sthlm")).toBeNull();
    expect(renamedPayload("leads.analyze", JSON.stringify({ selector: { terminal: "Göteborg" } }), byName, "Sthlm")).toBeNull();
    expect(renamedPayload("leads.analyze", JSON.stringify({ lead_ids: [1] }), byName, "Sthlm")).toBeNull();
    expect(renamedPayload("noop", JSON.stringify({ terminal: "stock" }), byName, "Sthlm")).toBeNull();
  });
});
