import { ExitCode } from "../../core/errors.ts";
import { assertAllowed } from "../../core/users/permissions.ts";
import { addUser, usersDefined } from "../../core/users/store.ts";
import { actingUser, osAccount, userName } from "../shared/actor.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import { changedBy, emailOption, nameOption, osAccounts, roleOption, userJson } from "./input.ts";

export interface UsersAddOptions {
  role: string;
  name?: string;
  email?: string;
  osAccount?: string[];
  json?: boolean;
}

export async function usersAdd(g: GlobalOptions, username: string, o: UsersAddOptions): Promise<number> {
  const input = {
    username: userName(username, "user name"),
    role: roleOption(o.role),
    name: o.name === undefined ? null : nameOption(o.name, false),
    email: o.email === undefined ? null : emailOption(o.email, false),
    osAccounts: osAccounts(o.osAccount, "--os-account"),
  };
  const ctx = await openContext(g);
  try {
    const actor = await actingUser(ctx.db, undefined);
    assertAllowed(actor, { kind: "users.manage" });
    // The first user is the one who ends single-operator mode: by default the OS account doing it acts as them.
    if (input.osAccounts.length === 0 && !(await usersDefined(ctx.db))) input.osAccounts = [osAccount()];
    const { user, promoted } = await addUser(ctx.db, input, changedBy(actor), ctx.clock());
    if (o.json) printJson({ user: userJson(user), promoted });
    else
      printLine(
        `added user ${user.username} (${user.role}${user.osAccounts.length ? `; OS account ${user.osAccounts.join(", ")}` : "; no OS account"})${promoted ? ": already known from trackings, imports or the seed" : ""}`,
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
