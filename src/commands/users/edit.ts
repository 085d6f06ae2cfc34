import { ExitCode, UsageError } from "../../core/errors.ts";
import { assertAllowed } from "../../core/users/permissions.ts";
import { editUser, type UserPatch } from "../../core/users/store.ts";
import { actingUser } from "../shared/actor.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import { changedBy, emailOption, nameOption, osAccounts, roleOption, userJson } from "./input.ts";

export interface UsersEditOptions {
  role?: string;
  name?: string;
  email?: string;
  addOsAccount?: string[];
  rmOsAccount?: string[];
  json?: boolean;
}

export async function usersEdit(g: GlobalOptions, username: string, o: UsersEditOptions): Promise<number> {
  const patch: UserPatch = {};
  if (o.role !== undefined) patch.role = roleOption(o.role);
  if (o.name !== undefined) patch.name = nameOption(o.name, true);
  if (o.email !== undefined) patch.email = emailOption(o.email, true);
  if (o.addOsAccount !== undefined) patch.addOsAccounts = osAccounts(o.addOsAccount, "--add-os-account");
  if (o.rmOsAccount !== undefined) patch.rmOsAccounts = osAccounts(o.rmOsAccount, "--rm-os-account");
  if (Object.keys(patch).length === 0)
    throw new UsageError("nothing to change: give at least one of --role, --name, --email, --add-os-account, --rm-os-account");
  const ctx = await openContext(g);
  try {
    const actor = await actingUser(ctx.db, undefined);
    assertAllowed(actor, { kind: "users.manage" });
    const { user, changed } = await editUser(ctx.db, username, patch, changedBy(actor), ctx.clock());
    if (o.json) printJson({ user: userJson(user), changed });
    else
      printLine(changed.length === 0 ? `user ${user.username}: nothing changed` : `changed user ${user.username}: ${changed.join(", ")}`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
