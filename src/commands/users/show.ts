import { ExitCode } from "../../core/errors.ts";
import { listSchedules } from "../../core/schedule/store.ts";
import { getUser } from "../../core/users/store.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printFields, printJson, printLine } from "../shared/output.ts";
import { userJson } from "./input.ts";

export async function usersShow(g: GlobalOptions, username: string, o: { json?: boolean }): Promise<number> {
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const user = await getUser(ctx.db, username);
    const schedules = (await listSchedules(ctx.db, { owner: user.username })).map((s) => ({ id: s.row.id, name: s.row.name }));
    if (o.json) printJson({ user: userJson(user), schedules });
    else {
      printLine(`user ${user.username}`);
      printFields([
        ["role", user.role],
        ["name", user.name ?? "-"],
        ["email", user.email ?? "-"],
        ["os accounts", user.osAccounts.join(", ") || "- (acts only through an admin's --as)"],
        ["defined", user.definedAt ?? "-"],
        ["schedules", schedules.map((s) => `${s.name} (id ${s.id})`).join(", ") || "-"],
      ]);
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
