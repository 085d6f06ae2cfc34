import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { smtpEnv, smtpSink } from "../helpers/smtp-server.ts";
import { tempDir } from "../helpers/store.ts";
import { webhookServer } from "../helpers/webhook-server.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "backoffice");
const NOW = Date.parse("2026-11-22T08:00:00.000Z");
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

/** The fixture tenant with two admins, its project over the 80 % hours threshold. */
async function overBudget(): Promise<string> {
  const dir = tempDir();
  const db = join(dir, "mail.db");
  await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson")], db);
  const admins = join(dir, "admins.ndjson");
  writeFileSync(
    admins,
    `${JSON.stringify({
      kind: "tenant",
      slug: "acme",
      name: "Acme Bygg AB",
      orgnr: "5560160680",
      vatNumber: "SE556016068001",
      street: "Storgatan 1",
      postcode: "111 22",
      town: "Stockholm",
      registeredOffice: "Stockholm",
      fSkatt: true,
      bankgiro: "5050-1055",
      email: "faktura@acme.example",
      ocrLengthDigit: true,
      members: [
        { username: "anna", email: "anna@acme.example", role: "admin" },
        { username: "bo", email: "bo@acme.example", role: "admin" },
      ],
    })}\n`,
  );
  await runJson(["backoffice", "import", admins], db);
  await runJson(["backoffice", "import", join(FIXTURES, "time.csv")], db);
  return db;
}

describe("budget alerts by email (a real SMTP server on 127.0.0.1)", () => {
  it("one message per admin, with the alert as subject; a second run sends nothing", async () => {
    const db = await overBudget();
    const smtp = await smtpSink();
    const env = { env: { ...smtpEnv(smtp.port), LEADJOBS_NOTIFY_OUTPUT: "false" } };
    const run = await runJson(["alerts", "--now", at(0)], db, env);
    expect(run).toMatchObject({ created: 1, notifications: { queued: 2, deliveryJobs: 1 } });
    expect(smtp.received.map((m) => m.to).sort()).toEqual([["anna@acme.example"], ["bo@acme.example"]]);
    for (const m of smtp.received) {
      expect(m.raw).toMatch(/^Subject: .*Budget.alert/m); // Q-encoded: the project's name has å and ä
      expect(m.raw).toMatch(/^From: leadjobs@acme\.example/m);
      expect(m.raw).toContain("85 h of 100 h (85%), over the 80% hours");
    }
    await runJson(["alerts", "--now", at(60)], db, env);
    expect(smtp.received).toHaveLength(2);
  });

  it("the webhook gets one post per alert listing its recipients; email stays one message per admin", async () => {
    const db = await overBudget();
    const smtp = await smtpSink();
    const hook = await webhookServer([200]);
    const env = { env: { ...smtpEnv(smtp.port), LEADJOBS_NOTIFY_WEBHOOK: hook.url } };
    const run = await runCli(["alerts", "--now", at(0)], db, env);
    expect(run.code, run.stderr).toBe(0);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.body.leadjobs).toMatchObject({
      kind: "budget.alert",
      recipient: "anna@acme.example, bo@acme.example",
      data: { recipients: ["anna@acme.example", "bo@acme.example"], thresholdPercent: 80 },
    });
    expect(smtp.received.map((m) => m.to).sort()).toEqual([["anna@acme.example"], ["bo@acme.example"]]);
    // the output channel still prints the alert once, naming both
    expect(run.stdout.match(/^Budget alert/gm)).toHaveLength(1);
    expect(run.stdout).toMatch(/\(to anna@acme\.example, bo@acme\.example\)$/m);
    await runJson(["alerts", "--now", at(60)], db, env);
    expect(hook.received).toHaveLength(1);
    expect(smtp.received).toHaveLength(2);
  });

  it("a server that refuses, then one that is down, are retried through the outbox; each message arrives once", async () => {
    const db = await overBudget();
    const smtp = await smtpSink({ refuseFirst: 1 });
    const env = { env: { ...smtpEnv(smtp.port), LEADJOBS_NOTIFY_OUTPUT: "false" } };
    await runJson(["alerts", "--now", at(0)], db, env);
    expect(smtp.refused).toBe(1);
    expect(smtp.received).toHaveLength(0); // the channel is not tried again in the same pass
    const waiting = await runJson(["status", "--now", at(20)], db, env);
    expect(waiting.backoffice.notifications).toMatchObject({ pending: 2 });
    expect(waiting.backoffice.notifications.undelivered.map((u: { lastError: string | null }) => u.lastError).join("\n")).toMatch(
      /mailbox unavailable/,
    );

    await smtp.close(); // down
    await runJson(["alerts", "--now", at(30)], db, env);
    expect(smtp.received).toHaveLength(0);
    expect((await runJson(["status", "--now", at(31)], db, env)).backoffice.notifications).toMatchObject({ pending: 2, failed: 0 });

    const back = await smtpSink({ port: smtp.port });
    await runJson(["alerts", "--now", at(180)], db, env);
    expect(back.received.map((m) => m.to[0]).sort()).toEqual(["anna@acme.example", "bo@acme.example"]);
    await runJson(["alerts", "--now", at(700)], db, env);
    expect(back.received).toHaveLength(2);
    expect((await runJson(["status", "--now", at(700)], db, env)).backoffice.notifications).toMatchObject({ pending: 0, failed: 0 });
  });

  it("smtpHost without smtpFrom, or a bad smtpTls: exit 2 naming the setting, nothing run", async () => {
    const db = await overBudget();
    const smtp = await smtpSink();
    const noFrom = await runCli(["alerts", "--now", at(0)], db, { env: { ...smtpEnv(smtp.port), LEADJOBS_SMTP_FROM: "" } });
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toBe("leadjobs: smtpFrom (LEADJOBS_SMTP_FROM) is needed to send email\n");
    const tls = await runCli(["alerts", "--now", at(0)], db, { env: { ...smtpEnv(smtp.port), LEADJOBS_SMTP_TLS: "ssl" } });
    expect(tls.code).toBe(2);
    expect(tls.stderr).toMatch(/smtpTls "ssl" must be starttls, tls or none/);
    expect((await runJson(["alerts", "list"], db)).count).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });
});
