import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

describe("leadjobs help GROUP VERB", () => {
  it.each([
    [["schedule", "add"], "Usage: leadjobs schedule add [options]", "--at <HH:MM>"],
    [["jobs", "add"], "Usage: leadjobs jobs add [options] <type>", "--dedupe-key <key>"],
    [["leads", "analyze"], "Usage: leadjobs leads analyze [options] [leads...]", "--protocol"],
  ])("help %j prints that verb's help, not the group's", async (words, usage, option) => {
    const r = await runCli(["help", ...words], undefined);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout.split("\n")[0]).toBe(usage);
    expect(r.stdout).toContain(option);
    expect(r.stdout).toBe((await runCli([...words, "--help"], undefined)).stdout);
  });

  it("help GROUP and help alone still print the group's and the program's help, exit 0", async () => {
    const group = await runCli(["help", "schedule"], undefined);
    expect([group.code, group.stdout.split("\n")[0]]).toEqual([0, "Usage: leadjobs schedule [options] [command]"]);
    const all = await runCli(["help"], undefined);
    expect([all.code, all.stdout.split("\n")[0], all.stderr]).toEqual([0, "Usage: leadjobs [options] [command]", ""]);
  });

  it("an unknown command is one line and exit 2, with the nearest name", async () => {
    const r = await runCli(["help", "nosuch"], undefined);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^leadjobs: unknown command "nosuch"/)]);
    const verb = await runCli(["help", "schedule", "ad"], undefined);
    expect(verb.code).toBe(2);
    expect(verb.stderr.trim().split("\n")).toEqual([expect.stringContaining('unknown command "ad" in "schedule" (did you mean "add"?)')]);
  });
});
