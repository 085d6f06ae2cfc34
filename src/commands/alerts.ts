import { errorMessage, ExitCode, UsageError } from "../core/errors.ts";
import { plural } from "../core/util/plural.ts";
import { checkAdminEmail, smtpSettings } from "../core/notify/email.ts";
import { storedAlertReport } from "../core/budget/job-alerts.ts";
import { outputChannel, type OutboxMessage } from "../core/notify/channels.ts";
import { deliverPending } from "../core/notify/deliver.ts";
import { DELIVER_JOB_TYPE } from "../core/notify/outbox.ts";
import { isWebhookUrl } from "../core/notify/webhook.ts";
import { getJob } from "../core/queue/inspect.ts";
import { loadConfig, openContextWith, type GlobalOptions } from "./shared/context.ts";
import { printJson, printLine, stdoutIsTty } from "./shared/output.ts";
import { runDueJobs, runTypeNow } from "./shared/run-now.ts";
import { onStopSignals } from "./shared/signals.ts";

export interface AlertsOptions {
  now?: string;
  json?: boolean;
}

/**
 * `leadjobs alerts`: runs the budget.alerts job now, then delivers the outbox: due
 * notify.deliver jobs (the webhook) and the output channel (printed here, so cron mails it).
 */
export async function alertsCommand(g: GlobalOptions, o: AlertsOptions): Promise<number> {
  const config = loadConfig(g);
  const url = config.notifyWebhook;
  if (url && !isWebhookUrl(url)) throw new UsageError(`notifyWebhook "${url}" is not an http(s) URL`);
  try {
    smtpSettings(config, process.env);
    checkAdminEmail(config);
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
  const ctx = await openContextWith(g, config, { now: o.now });
  const signals = onStopSignals();
  try {
    const run = await runTypeNow(ctx, "budget.alerts", {}, signals);
    const { job } = await getJob(ctx.db, run.jobId);
    const report = storedAlertReport(job.progress);
    const delivery = await runDueJobs(ctx, [DELIVER_JOB_TYPE], signals);
    const printed: OutboxMessage[] = [];
    if (ctx.config.notifyOutput) {
      const channels = [outputChannel((m) => printed.push(m))];
      while ((await deliverPending(ctx.db, { channels, clock: ctx.clock, random: ctx.random })).attempted > 0 && !signals.stop.aborted);
    }
    const ok = run.end.kind === "completed";
    const error = "error" in run.end ? run.end.error : null;
    if (o.json) {
      printJson({
        jobId: run.jobId,
        ok,
        error,
        projects: report.projects ?? 0,
        withoutBudget: report.withoutBudget ?? 0,
        created: report.created ?? 0,
        resolved: report.resolved ?? 0,
        updated: report.updated ?? 0,
        failed: report.failed ?? 0,
        failures: report.failures ?? [],
        createdAlerts: report.createdAlerts ?? [],
        resolvedAlerts: report.resolvedAlerts ?? [],
        updatedAlerts: report.updatedAlerts ?? [],
        notifications: { queued: report.notifications ?? 0, deliveryJobs: delivery.claimed, printed: printed.length },
        printed: printed.map((m) => ({ id: m.id, recipient: m.recipient, subject: m.subject, body: m.body })),
      });
    } else {
      for (const group of groupMessages(printed)) {
        printLine(`${group.subject} (to ${group.recipients.join(", ")})`);
        printLine(`  ${group.body}`);
      }
      for (const f of report.failures ?? []) ctx.log.warn(`project ${f.projectId} (${f.project}): ${f.error}`);
      if (!ok) ctx.log.error(`budget alerts failed${run.end.kind === "retry" ? " (will be retried)" : ""}: ${error}`);
      if (stdoutIsTty() || !ok) {
        printLine(
          `budget alerts: ${plural(report.projects ?? 0, "project")}, ${plural(report.created ?? 0, "alert")} created, ${report.resolved ?? 0} resolved, ${plural(report.failed ?? 0, "project")} failed`,
        );
      }
    }
    return ok ? ExitCode.Ok : ExitCode.Failure;
  } finally {
    signals.dispose();
    await ctx.close();
  }
}

/** One notification per admin: print each message once with its recipients. */
function groupMessages(messages: readonly OutboxMessage[]): Array<{ subject: string; body: string; recipients: string[] }> {
  const groups = new Map<string, { subject: string; body: string; recipients: string[] }>();
  for (const m of messages) {
    const key = `${m.subject}\n${m.body}`;
    const g = groups.get(key) ?? { subject: m.subject, body: m.body, recipients: [] };
    g.recipients.push(m.recipient);
    groups.set(key, g);
  }
  return [...groups.values()];
}
