import { isJobType, JOB_TYPES, loadJobType } from "../../job-types.ts";
import { retryPolicy } from "../../core/queue/backoff.ts";
import { formatDuration } from "../../core/time.ts";
import { payloadForms, type PayloadField } from "../../core/jobs/payload-fields.ts";
import type { JobDefinition } from "../../core/jobs/types.ts";
import { didYouMean } from "../../core/util/nearest.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";

/** `jobs types`: every type; `jobs types NAME`: that type with its payload's fields. */
export async function jobsTypes(name: string | undefined, o: { json?: boolean }): Promise<number> {
  if (name !== undefined) return jobType(name, o);
  const rows = (await Promise.all(JOB_TYPES.map((t) => loadJobType(t)))).map(typeRow);
  if (o.json) printJson({ types: rows });
  else
    await printTable(
      ["type", "attempts", "retry after", "timeout", "summary"],
      rows.map((r) => [r.type, r.maxAttempts, retryText(r.retryDelaysMs), timeoutText(r.timeoutMs), r.summary]),
    );
  return ExitCode.Ok;
}

async function jobType(name: string, o: { json?: boolean }): Promise<number> {
  if (!isJobType(name)) {
    const starting = JOB_TYPES.filter((t) => t.startsWith(name));
    throw new UsageError(`unknown job type "${name}"${didYouMean(name, JOB_TYPES)}`, {
      code: "UNKNOWN_JOB_TYPE",
      hint: starting.length > 0 ? `types starting with ${name}: ${starting.join(", ")}` : "see: leadjobs jobs types",
    });
  }
  const def = await loadJobType(name);
  const forms = payloadForms(def.payload).map((fields) => ({ fields }));
  const row = typeRow(def);
  if (o.json) {
    printJson({ ...row, forms });
    return ExitCode.Ok;
  }
  printLine(`${row.type}: ${row.summary}`);
  printLine(`attempts ${row.maxAttempts}, retry after ${retryText(row.retryDelaysMs)}, timeout ${timeoutText(row.timeoutMs)}`);
  for (const [i, form] of forms.entries()) {
    printLine("");
    if (forms.length > 1) printLine(i === 0 ? "payload, either:" : "or:");
    if (form.fields.length === 0) printLine("payload: {} (no fields)");
    else await printTable(["field", "type", "required", "description"], form.fields.map(fieldRow));
  }
  return ExitCode.Ok;
}

function typeRow(d: JobDefinition<unknown>) {
  const p = retryPolicy(d.retry);
  return {
    type: d.type,
    summary: d.summary,
    maxAttempts: p.maxAttempts,
    retryDelaysMs: p.delaysMs.slice(0, Math.max(0, p.maxAttempts - 1)),
    timeoutMs: d.timeoutMs ?? null,
  };
}

const timeoutText = (ms: number | null): string => (ms === null ? "-" : formatDuration(ms));

const retryText = (delays: readonly number[]): string => delays.map(formatDuration).join(", ") || "-";

function fieldRow(f: PayloadField): string[] {
  const need = f.required ? "required" : "default" in f ? `default ${JSON.stringify(f.default)}` : "optional";
  return [f.name, f.type, need, f.description ?? "-"];
}
