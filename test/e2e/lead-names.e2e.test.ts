import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const NOW = "2026-03-02T09:00:00Z";
const NAME = "Nattlig analys – Riks";

interface Line {
  scheduleId: number | null;
  scheduleName: string | null;
  scheduleRemoved: boolean;
  runs: number;
}

describe("report leads and lead events show names where there are names", () => {
  it("schedules, users and terminals by name; --json keeps the ids and adds the names", async () => {
    const db = join(tempDir(), "names.db");
    await runJson(["seed", "--companies", "100", "--tracked", "0", "--answers", "0", "--now", NOW], db);
    const { leads } = await runJson<{ leads: Array<{ id: number; status: string; terminal: string | null }> }>(["leads", "list"], db);
    const lead = leads.find((l) => l.terminal !== null) ?? leads[0]!;
    const payload = JSON.stringify({ lead_ids: [lead.id], llm_provider: "rules" });
    const s = await runJson<{ id: number }>(
      ["schedule", "add", "--name", NAME, "--type", "leads.analyze", "--payload", payload, "--at", "02:00"],
      db,
    );
    await runJson(["schedule", "trigger", String(s.id)], db);
    await runJson(["process"], db);
    const user = query<{ username: string; display_name: string }>(
      db,
      "select username, display_name from app_user where display_name is not null order by id limit 1",
    )[0]!;
    await runJson(
      ["leads", "edit", String(lead.id), "--status", lead.status === "qualified" ? "contacted" : "qualified", "--as", user.username],
      db,
    );

    const report = await runJson<{ bySchedule: Line[] }>(["report", "leads"], db);
    expect(report.bySchedule).toContainEqual(
      expect.objectContaining({ scheduleId: s.id, scheduleName: NAME, scheduleRemoved: false, runs: 1 }),
    );
    const text = await runCli(["report", "leads"], db);
    expect(text.stdout).toMatch(new RegExp(`^${NAME}\\s+1\\s`, "m"));

    await runJson(["schedule", "rm", String(s.id)], db);
    const after = await runJson<{ bySchedule: Line[] }>(["report", "leads"], db);
    expect(after.bySchedule).toContainEqual(expect.objectContaining({ scheduleId: s.id, scheduleName: NAME, scheduleRemoved: true }));
    expect((await runCli(["report", "leads"], db)).stdout).toMatch(new RegExp(`^${NAME} \\(removed\\)\\s+1\\s`, "m"));

    const shown = await runJson<{
      lead: { terminal: string };
      events: Array<{
        kind: string;
        actor: string;
        detail: Record<string, unknown>;
        actorName: string | null;
        scheduleId: number | null;
        scheduleName: string | null;
        terminalName: string | null;
      }>;
    }>(["leads", "show", String(lead.id)], db);
    const byKind = (kind: string) => shown.events.findLast((e) => e.kind === kind);
    expect(byKind("analysed")).toMatchObject({ actor: expect.stringMatching(/^job:\d+$/), scheduleId: s.id, scheduleName: NAME });
    expect(byKind("status")).toMatchObject({ actor: `user:${user.username}`, actorName: user.display_name });
    expect(byKind("assigned")).toMatchObject({ detail: { terminalId: expect.any(Number) }, terminalName: shown.lead.terminal });
    const events = (await runCli(["leads", "show", String(lead.id)], db)).stdout;
    expect(events).toMatch(new RegExp(`\\sstatus\\s+${user.display_name}\\s`));
    expect(events).toContain(`(schedule ${NAME})`);
    expect(events).toContain(`{"terminal":"${shown.lead.terminal}"`);
    expect(events).not.toContain('"terminalId"');
  }, 120_000);
});
