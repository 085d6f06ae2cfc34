import { ExitCode } from "../../core/errors.ts";
import { listUsers } from "../../core/users/store.ts";
import { pageOf } from "../../core/util/paging.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { userJson } from "./input.ts";

export async function usersList(g: GlobalOptions, o: PagingFlags & { everyone?: boolean; json?: boolean }): Promise<number> {
  const page = pageOption(o, null);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const everyone = await listUsers(ctx.db, { all: o.everyone ?? false });
    const mode = everyone.some((u) => u.definedAt !== null) ? "users" : "single-operator";
    const { items: users, total } = pageOf(everyone, page);
    if (o.json) printJson({ mode, ...pageJson(page, total, users.length), users: users.map(userJson) });
    else {
      if (mode === "single-operator")
        printLine("no users defined: single-operator mode, everything is allowed (`leadjobs users add NAME --role admin` starts roles)");
      const past = pastTheEnd(page, total, "users");
      if (past !== null) printLine(past);
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
      printMore(page, total, users.length);
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
