import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { query, writeSync } from "../helpers/query.ts";
import { smtpEnv, smtpSink } from "../helpers/smtp-server.ts";
import { tempDir } from "../helpers/store.ts";
import { webhookServer } from "../helpers/webhook-server.ts";

describe("failure notifications when a job dies", () => {
  it("go through the outbox to the webhook, in the same process run", async () => {
    const db = join(tempDir(), "dead.db");
    const hook = await webhookServer([200]);
    const env = { LEADJOBS_NOTIFY_WEBHOOK: hook.url };
    await runJson(["jobs", "add", "noop", "--payload", '{"failTimes":9}', "--max-attempts", "1"], db, { env });
    const r = await runCli(["process", "--json"], db, { env });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ died: 1, completed: 1 }); // the death, then its delivery
    expect(hook.received).toHaveLength(1);
    const text = JSON.stringify(hook.received[0]?.body);
    expect(text).toMatch(/job 1 \(noop\) died after 1 attempt/);
    expect(text).toMatch(/noop: failing attempt 1 of the first 9/);
    // Another death is another notice; what was delivered is not sent again.
    await runJson(["jobs", "add", "noop", "--payload", '{"failTimes":9}', "--max-attempts", "1"], db, { env });
    await runCli(["process"], db, { env });
    expect(hook.received).toHaveLength(2);
    expect(JSON.stringify(hook.received[1]?.body)).toMatch(/job 3 \(noop\) died/);
  });

  it("go by email too, to each adminEmail address, through the same outbox; each once", async () => {
    const db = join(tempDir(), "dead-mail.db");
    const hook = await webhookServer([200]);
    const smtp = await smtpSink();
    const env = { ...smtpEnv(smtp.port), LEADJOBS_NOTIFY_WEBHOOK: hook.url, LEADJOBS_ADMIN_EMAIL: "ops@acme.example, cto@acme.example" };
    await runJson(["jobs", "add", "noop", "--payload", '{"failTimes":9}', "--max-attempts", "1"], db, { env });
    const r = await runCli(["process", "--json"], db, { env });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ died: 1, completed: 1 }); // the death, then its delivery
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.body.leadjobs.data.recipients).toEqual(["ops@acme.example", "cto@acme.example"]);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(["cto@acme.example", "ops@acme.example"]);
    for (const m of smtp.received) {
      expect(m.raw).toMatch(/^Subject: leadjobs: job 1 \(noop\) died after 1 attempt/m);
      expect(m.raw).toMatch(/noop: failing attempt 1 of the first 9/);
    }
    await runCli(["process"], db, { env });
    await runCli(["enqueue"], db, { env });
    expect(smtp.received).toHaveLength(2);
    expect(hook.received).toHaveLength(1);
    const rows = query(db, "select recipient, channels, status from notification order by id");
    expect(rows).toEqual([
      { recipient: "ops@acme.example, cto@acme.example", channels: '["webhook"]', status: "sent" },
      { recipient: "ops@acme.example", channels: '["email"]', status: "sent" },
      { recipient: "cto@acme.example", channels: '["email"]', status: "sent" },
    ]);
  });

  it("an adminEmail that is not an address: exit 2 naming it, nothing run", async () => {
    const db = join(tempDir(), "bad-admin.db");
    await runJson(["jobs", "add", "noop"], db);
    const r = await runCli(["process"], db, { env: { LEADJOBS_ADMIN_EMAIL: "ops@acme.example, ops" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('leadjobs: adminEmail "ops" is not an email address\n');
    expect(query(db, "select state from job")).toEqual([{ state: "pending" }]);
  });

  /** A database whose only job is running on its last attempt for a worker that crashed long ago. */
  async function crashedWorkerDb(name: string) {
    const db = join(tempDir(), name);
    const hook = await webhookServer([200]);
    const env = { LEADJOBS_NOTIFY_WEBHOOK: hook.url };
    await runJson(["jobs", "add", "noop", "--max-attempts", "1"], db, { env });
    writeSync(
      db,
      "update job set state = 'running', attempts = 1, lease_owner = 'gone:1', lease_token = 1, lease_expires_at = '2020-01-01T00:00:00.000Z'",
    );
    return { db, hook, env };
  }

  it("also for a job whose last attempt was lost with a crashed worker", async () => {
    const { db, hook, env } = await crashedWorkerDb("lost.db");
    const r = await runCli(["process", "--json"], db, { env });
    expect(JSON.parse(r.stdout)).toMatchObject({ rescued: 1 });
    expect(JSON.stringify(hook.received[0]?.body)).toMatch(/job 1 \(noop\) died after 1 attempt.*lost: worker gone:1 stopped/);
  });

  it("also when the enqueue tick is the one that finds the crashed worker's job", async () => {
    const { db, hook, env } = await crashedWorkerDb("lost-tick.db");
    expect(await runJson(["enqueue"], db, { env })).toMatchObject({ rescued: 1 });
    expect(await runJson(["process"], db, { env })).toMatchObject({ completed: 1 }); // the delivery
    expect(hook.received).toHaveLength(1);
    expect(JSON.stringify(hook.received[0]?.body)).toMatch(/job 1 \(noop\) died after 1 attempt.*lost: worker gone:1 stopped/);
  });

  it("without a webhook the notice is kept in the outbox, not sent", async () => {
    const db = join(tempDir(), "quiet.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"failTimes":1}', "--max-attempts", "1"], db);
    await runCli(["process"], db);
    const rows = query(db, "select kind, status, subject from notification");
    expect(rows).toEqual([{ kind: "job.dead", status: "skipped", subject: "leadjobs: job 1 (noop) died after 1 attempt" }]);
  });
});
