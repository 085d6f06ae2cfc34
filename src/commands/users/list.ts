import { ExitCode } from "../../core/errors.ts";
import { listUsers } from "../../core/users/store.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";
import { userJson } from "./input.ts";

export async function usersList(g: GlobalOptions, o: { all?: boolean; json?: boolean }): Promise<number> {
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const users = await listUsers(ctx.db, { all: o.all ?? false });
    const mode = users.some((u) => u.definedAt !== null) ? "users" : "single-operator";
    if (o.json) printJson({ mode, users: users.map(userJson) });
    else {
      if (mode === "single-operator")
        printLine("no users defined: single-operator mode, everything is allowed (`leadjobs users add NAME --role admin` starts roles)");
      if (users.length > 0)
        await printTable(
          ["user", "role", "name", "email", "os accounts"],
          users.map((u) => [
            u.username,
            u.definedAt === null ? `(not a user; ${u.role})` : u.role,
            u.name,
            u.email,
            u.osAccounts.join(", ") || null,
          ]),
        );
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
