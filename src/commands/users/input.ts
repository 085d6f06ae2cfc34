import * as z from "zod";
import { UsageError } from "../../core/errors.ts";
import type { Actor } from "../../core/users/permissions.ts";
import { USER_ROLES, type UserRole } from "../../core/users/schema.ts";
import type { ChangedBy, UserRecord } from "../../core/users/store.ts";
import { userName } from "../shared/actor.ts";

export function roleOption(text: string): UserRole {
  const role = text.trim().toLowerCase();
  if (!(USER_ROLES as readonly string[]).includes(role)) throw new UsageError(`invalid --role "${text}": use ${USER_ROLES.join(", ")}`);
  return role as UserRole;
}

const EMAIL = z.email();

/** `--email`: an address, or (clearable) none. */
export function emailOption(text: string, clearable: boolean): string | null {
  if (clearable && text.trim().toLowerCase() === "none") return null;
  if (!EMAIL.safeParse(text.trim()).success) throw new UsageError(`invalid --email "${text}": expected an e-mail address`);
  return text.trim();
}

/** `--name`: the person's name, or (clearable) none. */
export function nameOption(text: string, clearable: boolean): string | null {
  const name = text.trim();
  if (clearable && name.toLowerCase() === "none") return null;
  if (name === "" || [...name].length > 100 || /\p{C}/u.test(name))
    throw new UsageError(`invalid --name "${text}": 1-100 printable characters`);
  return name;
}

export function osAccounts(list: string[] | undefined, option: string): string[] {
  return [...new Set((list ?? []).map((a) => userName(a, option)))];
}

export function changedBy(actor: Actor): ChangedBy {
  return { userId: actor.userId, name: actor.name };
}

/** The `--json` form of a user. */
export function userJson(u: UserRecord) {
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    email: u.email,
    role: u.role,
    osAccounts: u.osAccounts,
    defined: u.definedAt !== null,
    definedAt: u.definedAt,
    createdAt: u.createdAt,
  };
}
