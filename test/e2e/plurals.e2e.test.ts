import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

// One of a thing is singular: "1 question", not "1 questions" (src/core/util/plural.ts).
describe("counts in the singular", () => {
  it("schedule history of one run", async () => {
    const db = join(tempDir(), "one.db");
    await runJson(["schedule", "add", "--name", "once", "--type", "noop", "--at", "02:00"], db);
    await runJson(["schedule", "trigger", "once"], db);
    const history = await runCli(["schedule", "history", "once"], db);
    expect(history.stdout.split("\n")[0]).toBe("schedule once: 1 run, 0 missed");
  });
});
