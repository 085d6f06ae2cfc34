import type { Command } from "commander";
import { globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

const NOW = "act as if it were then (ISO time; tests and previews)";
const AS = "who does it (default: the OS user's user); only an admin may name someone else; recorded in the audit trail";

function timingOptions(cmd: Command): Command {
  return cmd
    .option("--cron <expr>", '5-field cron expression, e.g. "0 2 * * *", "*/15 * * * *", "0 18 L * *", "0 9 * * 1#2"')
    .option("--at <HH:MM>", "simple form: the time of day")
    .option("--days <set>", "simple form: daily, weekdays, weekends, or days such as mon,wed,fri (default daily)")
    .option("--tz <zone>", "IANA time zone the timing is read in (default Europe/Stockholm; LEADJOBS_SCHEDULE_TIMEZONE)");
}

function definitionOptions(cmd: Command): Command {
  return timingOptions(cmd)
    .option("--payload <json>", "the job payload, validated against the type")
    .option(
      "--misfire <policy>",
      "missed runs: coalesce (run once, default), skip (drop those later than --grace), all (run each, up to --cap)",
    )
    .option("--grace <duration>", "skip: how late a run may still start (default 1h; LEADJOBS_MISFIRE_GRACE)")
    .option("--cap <n>", "all: at most this many missed runs at once (default 10; LEADJOBS_MISFIRE_CAP)")
    .option("--priority <n>", "priority of the jobs it enqueues (higher runs first; default 0)")
    .option("--timeout <duration>", "run timeout of the jobs it enqueues, overriding the type's (edit: none to drop it)")
    .option("--then <type>", "a follow-up job enqueued with each run that runs only if the run completed (edit: none to drop it)")
    .option("--then-payload <json>", "the follow-up's payload, validated against its type");
}

/** schedule: recurring jobs. */
export function registerSchedule(program: Command, setExit: SetExit): void {
  const schedule = program
    .command("schedule")
    .description("recurring jobs: add, list, show, edit, rename, pause, resume, rm, trigger, history, preview");
  definitionOptions(
    schedule
      .command("add")
      .description("add a schedule (it never runs for times before it was added)")
      .requiredOption("--name <name>", "unique name")
      .requiredOption("--type <type>", "job type (see `leadjobs jobs types`)"),
  )
    .option("--paused", "add it paused")
    .option("--as <user>", `${AS}; also the owner`)
    .option("--now <iso>", NOW)
    .option("--json", "print the schedule as JSON")
    .action(async (opts, cmd: Command) => {
      const { scheduleAdd } = await import("./add.ts");
      setExit(await scheduleAdd(globals(cmd), opts));
    });
  pagingOptions(schedule.command("list"), "schedules", null)
    .description("schedules with next and last run, last outcome, missed runs, overdue")
    .option("--owner <user>", "only this user's schedules")
    .option("--now <iso>", NOW)
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { scheduleList } = await import("./list.ts");
      setExit(await scheduleList(globals(cmd), opts));
    });
  schedule
    .command("show")
    .description("one schedule: definition, counters, summed job metrics, changes")
    .argument("<name>", "schedule name or id")
    .option("--removed", "a removed schedule, from the audit trail: its last definition and its changes")
    .option("--now <iso>", NOW)
    .option("--json", "print JSON")
    .action(async (name: string, opts, cmd: Command) => {
      const { scheduleShow } = await import("./show.ts");
      setExit(await scheduleShow(globals(cmd), name, opts));
    });
  definitionOptions(
    schedule
      .command("edit")
      .description("change a schedule; a new timing counts from now")
      .argument("<name>", "schedule name or id")
      .option("--name <new>", "rename it")
      .option("--type <type>", "job type"),
  )
    .option("--owner <user>", "give it to another user (with users defined: an admin only)")
    .option("--as <user>", AS)
    .option("--now <iso>", NOW)
    .option("--json", "print the schedule and the changes as JSON")
    .action(async (name: string, opts, cmd: Command) => {
      const { scheduleEdit } = await import("./edit.ts");
      setExit(await scheduleEdit(globals(cmd), name, opts));
    });
  schedule
    .command("rename")
    .description("give a schedule a new name (any printable name, as with add); its id, history and audit trail stay")
    .argument("<name>", "schedule name or id")
    .argument("<new>", "the new name")
    .option("--as <user>", AS)
    .option("--now <iso>", NOW)
    .option("--json", "print the schedule as JSON")
    .action(async (name: string, to: string, opts, cmd: Command) => {
      const { scheduleRename } = await import("./rename.ts");
      setExit(await scheduleRename(globals(cmd), name, to, opts));
    });
  for (const [verb, what] of [
    ["pause", "stop running it (runs while paused are not made up)"],
    ["resume", "run it again from now on"],
  ] as const) {
    schedule
      .command(verb)
      .description(what)
      .argument("<name>", "schedule name or id")
      .option("--as <user>", AS)
      .option("--now <iso>", NOW)
      .option("--json", "print JSON")
      .action(async (name: string, opts, cmd: Command) => {
        const { scheduleSetActive } = await import("./pause-resume.ts");
        setExit(await scheduleSetActive(globals(cmd), name, verb === "resume", opts));
      });
  }
  schedule
    .command("rm")
    .description("delete a schedule and its history (the audit trail keeps it); its queued jobs stay")
    .argument("<name>", "schedule name or id")
    .option("--as <user>", AS)
    .option("--now <iso>", NOW)
    .option("--json", "print JSON")
    .action(async (name: string, opts, cmd: Command) => {
      const { scheduleRemove } = await import("./rm.ts");
      setExit(await scheduleRemove(globals(cmd), name, opts));
    });
  schedule
    .command("trigger")
    .description("enqueue a run now, outside the timing")
    .argument("<name>", "schedule name or id")
    .option("--as <user>", AS)
    .option("--now <iso>", NOW)
    .option("--json", "print JSON")
    .action(async (name: string, opts, cmd: Command) => {
      const { scheduleTrigger } = await import("./trigger.ts");
      setExit(await scheduleTrigger(globals(cmd), name, opts));
    });
  pagingOptions(schedule.command("history"), "fires", 30)
    .description("fires with their jobs, outcomes and durations, and missed runs")
    .argument("<name>", "schedule name or id")
    .option("--json", "print JSON")
    .action(async (name: string, opts, cmd: Command) => {
      const { scheduleHistoryCommand } = await import("./history.ts");
      setExit(await scheduleHistoryCommand(globals(cmd), name, opts));
    });
  timingOptions(
    schedule
      .command("preview")
      .description("the next fire times in the schedule's zone, in plain language, with an estimated monthly cost")
      .argument("[name]", "a schedule, or give --cron/--at instead"),
  )
    .option("--type <type>", "with a timing: job type, for the cost estimate")
    .option("--payload <json>", "with a timing: payload, for the cost estimate")
    .option("--count <n>", "how many fires (default 10)")
    .option("--now <iso>", "preview from this time")
    .option("--json", "print JSON")
    .action(async (name: string | undefined, opts, cmd: Command) => {
      const { schedulePreview } = await import("./preview.ts");
      setExit(await schedulePreview(globals(cmd), name, opts));
    });
}
