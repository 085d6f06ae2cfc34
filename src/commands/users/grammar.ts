import type { Command } from "commander";
import { collect, globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

const ROLE = "admin (does all), manager (their own schedules, jobs), sales (reads)";
const OS = "an OS account that acts as the user (repeatable, or a,b)";

/** users: who may do what (users and roles; none defined is single-operator mode). */
export function registerUsers(program: Command, setExit: SetExit): void {
  const users = program.command("users").description("users and roles: who may do what (none defined: single-operator mode)");
  users
    .command("add")
    .description("define a user (admins only; the first user must be an admin)")
    .argument("<user>", "user name (as in --as and schedule owners)")
    .requiredOption("--role <role>", ROLE)
    .option("--name <text>", "the person's name")
    .option("--email <address>", "e-mail address")
    .option("--os-account <account>", `${OS}; the first user defaults to the OS account running this`, collect)
    .option("--json", "print the user as JSON")
    .action(async (user: string, opts, cmd: Command) => {
      const { usersAdd } = await import("./add.ts");
      setExit(await usersAdd(globals(cmd), user, opts));
    });
  pagingOptions(users.command("list"), "users", null)
    .description("the users with their roles and OS accounts")
    .option("--everyone", "also people known only from trackings, imports or the seed (not users)")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { usersList } = await import("./list.ts");
      setExit(await usersList(globals(cmd), opts));
    });
  users
    .command("show")
    .description("one user: role, OS accounts, the schedules they own")
    .argument("<user>", "user name")
    .option("--json", "print JSON")
    .action(async (user: string, opts, cmd: Command) => {
      const { usersShow } = await import("./show.ts");
      setExit(await usersShow(globals(cmd), user, opts));
    });
  users
    .command("edit")
    .description("change a user's name, e-mail, role or OS accounts (admins only)")
    .argument("<user>", "user name")
    .option("--role <role>", ROLE)
    .option("--name <text>", "the person's name (none to clear)")
    .option("--email <address>", "e-mail address (none to clear)")
    .option("--add-os-account <account>", OS, collect)
    .option("--rm-os-account <account>", "an OS account that no longer acts as the user (repeatable)", collect)
    .option("--json", "print the user and the changed fields as JSON")
    .action(async (user: string, opts, cmd: Command) => {
      const { usersEdit } = await import("./edit.ts");
      setExit(await usersEdit(globals(cmd), user, opts));
    });
  users
    .command("rm")
    .description("end a user (admins only): they no longer act; what they own and the audit trail stay")
    .argument("<user>", "user name")
    .option("--json", "print JSON")
    .action(async (user: string, opts, cmd: Command) => {
      const { usersRemove } = await import("./rm.ts");
      setExit(await usersRemove(globals(cmd), user, opts));
    });
}
