import { ExitCode } from "../../core/errors.ts";
import { assertAllowed } from "../../core/users/permissions.ts";
import { removeUser } from "../../core/users/store.ts";
import { actingUser } from "../shared/actor.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import { changedBy, userJson } from "./input.ts";

export async function usersRemove(g: GlobalOptions, username: string, o: { json?: boolean }): Promise<number> {
  const ctx = await openContext(g);
  try {
    const actor = await actingUser(ctx.db, undefined);
    assertAllowed(actor, { kind: "users.manage" });
    const { user, singleOperator } = await removeUser(ctx.db, username, changedBy(actor), ctx.clock());
    if (o.json) printJson({ removed: userJson(user), singleOperator });
    else
      printLine(
        `removed user ${user.username}; their trackings and schedules stay${singleOperator ? ". No users are left: the database is in single-operator mode again" : ""}`,
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
