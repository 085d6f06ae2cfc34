import { showProject } from "../../core/budget/views.ts";
import { ExitCode } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printFields, printJson, printLine } from "../shared/output.ts";
import { usageCell } from "./render.ts";

export async function projectsShow(g: GlobalOptions, ref: string, o: { tenant?: string; json?: boolean }): Promise<number> {
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const p = await showProject(ctx.db, ref, o.tenant);
    if (o.json) {
      printJson(p);
      return ExitCode.Ok;
    }
    printLine(`project ${p.id} (${p.ref}) of ${p.tenant}: ${p.name}`);
    printFields([
      ["status", p.status],
      ["code", p.code ?? "-"],
      ["client", p.client ?? "-"],
      ...p.usage.map(
        (u) =>
          [
            u.type,
            `${usageCell(u)}${u.thresholds.length ? `; thresholds ${u.thresholds.map((t) => `${t.percent}%${t.crossed ? " (crossed)" : ""}${t.notify ? "" : " (silent)"}`).join(", ")}` : ""}`,
          ] as const,
      ),
      ["alerts", p.alerts.length === 0 ? "-" : p.alerts.map((a) => `${a.id}: ${a.thresholdPercent}% ${a.type} ${a.status}`).join("; ")],
    ]);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
