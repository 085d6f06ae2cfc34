import type { Command } from "commander";
import { globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

/**
 * The subcommands of `alerts` (the alerts the worker produced); `leadjobs alerts` alone still runs
 * the worker (src/commands/grammar.ts, registerAlerts).
 */
export function registerAlertViews(alerts: Command, setExit: SetExit): void {
  // `alerts` has --json and --now of its own, and commander gives an option the parent knows to the
  // parent wherever it is written (`alerts list --json`): take them from there too.
  const own = (opts: Record<string, unknown>, cmd: Command) => ({ ...cmd.parent?.opts(), ...opts });
  pagingOptions(alerts.command("list"), "alerts", 100)
    .description("budget alerts, newest first")
    .option("--tenant <slug>", "only this tenant's")
    .option("--state <state>", "active or resolved")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { alertsList } = await import("./list.ts");
      setExit(await alertsList(globals(cmd), own(opts, cmd)));
    });
  alerts
    .command("show")
    .description("one budget alert: project, threshold, figures, resolution")
    .argument("<id>", "alert id")
    .option("--json", "print JSON")
    .action(async (id: string, opts, cmd: Command) => {
      const { alertsShow } = await import("./show.ts");
      setExit(await alertsShow(globals(cmd), id, own(opts, cmd)));
    });
  alerts
    .command("resolve")
    .description("resolve an active alert by hand (if usage is still over its threshold, the next run raises it again)")
    .argument("<id>", "alert id")
    .option("--reason <text>", "why (recorded on the alert and in the audit log)")
    .option("--as <user>", "who resolves it (default: the OS user)")
    .option("--now <iso>", "act as if it were then")
    .option("--json", "print JSON")
    .action(async (id: string, opts, cmd: Command) => {
      const { alertsResolve } = await import("./resolve.ts");
      setExit(await alertsResolve(globals(cmd), id, own(opts, cmd)));
    });
}
