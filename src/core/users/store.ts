import { appendAudit } from "../audit/append.ts";
import { immediate, type Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { toInstant, type Instant } from "../time.ts";
import type { AppUserRow, UserRole } from "./schema.ts";

/** A defined user (or, in `users list --all`, a row made on the fly) with the OS accounts that act as them. */
export interface UserRecord {
  id: number;
  username: string;
  name: string | null;
  email: string | null;
  role: UserRole;
  osAccounts: string[];
  /** When `users add` defined them; null for a row made on the fly (not a user). */
  definedAt: Instant | null;
  createdAt: Instant;
}

/** Who makes a change, for the audit trail: a defined user, or (single-operator mode) just a name. */
export interface ChangedBy {
  userId: number | null;
  name: string;
}

export interface UserInput {
  username: string;
  name: string | null;
  email: string | null;
  role: UserRole;
  osAccounts: string[];
}

export interface UserPatch {
  name?: string | null;
  email?: string | null;
  role?: UserRole;
  addOsAccounts?: string[];
  rmOsAccounts?: string[];
}

/** True once any user is defined; before that the database is in single-operator mode. */
export async function usersDefined(db: Db): Promise<boolean> {
  const row = await db.selectFrom("app_user").select("id").where("defined_at", "is not", null).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The defined user an OS account acts as. */
export async function userForOsAccount(db: Db, account: string): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom("user_os_account")
    .innerJoin("app_user", "app_user.id", "user_os_account.user_id")
    .selectAll("app_user")
    .where("user_os_account.os_account", "=", account)
    .where("app_user.defined_at", "is not", null)
    .executeTakeFirst();
  return row ? (await withAccounts(db, [row]))[0] : undefined;
}

/** A defined user by user name. */
export async function definedUser(db: Db, username: string): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom("app_user")
    .selectAll()
    .where("username", "=", username)
    .where("defined_at", "is not", null)
    .executeTakeFirst();
  return row ? (await withAccounts(db, [row]))[0] : undefined;
}

/** A defined user by user name; an unknown one is a UsageError. */
export async function getUser(db: Db, username: string): Promise<UserRecord> {
  const user = await definedUser(db, username);
  if (!user) throw new UsageError(`no user named "${username}"`, { code: "NOT_FOUND", hint: "see `leadjobs users list`" });
  return user;
}

/** The defined users (with `all`, also the rows made on the fly), by user name. */
export async function listUsers(db: Db, o: { all?: boolean } = {}): Promise<UserRecord[]> {
  let q = db.selectFrom("app_user").selectAll();
  if (!o.all) q = q.where("defined_at", "is not", null);
  return withAccounts(db, await q.orderBy("username").execute());
}

async function withAccounts(db: Db, rows: AppUserRow[]): Promise<UserRecord[]> {
  if (rows.length === 0) return [];
  const accounts = await db
    .selectFrom("user_os_account")
    .select(["user_id", "os_account"])
    .where(
      "user_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("os_account")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    name: r.display_name,
    email: r.email,
    role: r.role,
    osAccounts: accounts.filter((a) => a.user_id === r.id).map((a) => a.os_account),
    definedAt: r.defined_at,
    createdAt: r.created_at,
  }));
}

/** The audited form of a user: its columns and OS accounts. */
function audited(u: UserRecord | null): Record<string, unknown> | null {
  if (!u) return null;
  return { username: u.username, display_name: u.name, email: u.email, role: u.role, defined_at: u.definedAt, os_accounts: u.osAccounts };
}

async function audit(trx: Db, before: UserRecord | null, after: UserRecord, by: ChangedBy, now: number): Promise<void> {
  await appendAudit(
    trx,
    [
      {
        tenantId: null,
        table: "app_user",
        rowId: after.id,
        // Row-level, as everywhere in audit_log: defining a known person and ending a user update the row.
        action: before === null ? "insert" : "update",
        old: audited(before),
        new: audited(after),
        actorUserId: by.userId,
        worker: by.userId === null ? `user:${by.name}` : null,
      },
    ],
    now,
  );
}

/** OS accounts already acting as someone other than `userId` are refused. */
async function assertAccountsFree(trx: Db, accounts: readonly string[], userId: number | null): Promise<void> {
  if (accounts.length === 0) return;
  const taken = await trx
    .selectFrom("user_os_account")
    .innerJoin("app_user", "app_user.id", "user_os_account.user_id")
    .select(["user_os_account.os_account", "app_user.username", "app_user.id"])
    .where("user_os_account.os_account", "in", [...accounts])
    .execute();
  const other = taken.find((t) => t.id !== userId);
  if (other) throw new UsageError(`the OS account "${other.os_account}" already acts as ${other.username}`);
}

async function addAccounts(trx: Db, userId: number, accounts: readonly string[], stamp: Instant): Promise<void> {
  if (accounts.length === 0) return;
  await trx
    .insertInto("user_os_account")
    .values(accounts.map((a) => ({ os_account: a, user_id: userId, created_at: stamp })))
    .onConflict((oc) => oc.column("os_account").doNothing())
    .execute();
}

/**
 * Defines a user. A row made on the fly with that user name (by `track --as`, an import or the
 * seed) becomes the user, keeping its id and what refers to it. The first user must be an admin,
 * so someone can manage users once single-operator mode ends.
 */
export async function addUser(db: Db, u: UserInput, by: ChangedBy, now: number): Promise<{ user: UserRecord; promoted: boolean }> {
  return immediate(db, async (trx) => {
    const existing = await trx.selectFrom("app_user").selectAll().where("username", "=", u.username).executeTakeFirst();
    if (existing?.defined_at) throw new UsageError(`${u.username} is already a user`, { hint: "change it with `leadjobs users edit`" });
    if (u.role !== "admin" && !(await usersDefined(trx)))
      throw new UsageError(`the first user must be an admin (${u.username} would be ${u.role})`, {
        hint: "no users are defined yet: add an admin first, who can then add the others",
      });
    await assertAccountsFree(trx, u.osAccounts, existing?.id ?? null);
    const stamp = toInstant(now);
    const values = { display_name: u.name, email: u.email, role: u.role, defined_at: stamp };
    const id = existing
      ? (await trx.updateTable("app_user").set(values).where("id", "=", existing.id).returning("id").executeTakeFirstOrThrow()).id
      : (
          await trx
            .insertInto("app_user")
            .values({ username: u.username, created_at: stamp, ...values })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
    const before = existing ? ((await withAccounts(trx, [existing]))[0] as UserRecord) : null;
    await addAccounts(trx, id, u.osAccounts, stamp);
    const user = await getUser(trx, u.username);
    await audit(trx, before, user, by, now);
    return { user, promoted: existing !== undefined };
  });
}

/** Refuses a change that leaves the other defined users without an admin to manage them. */
async function assertAdminLeft(trx: Db, user: UserRecord, what: string): Promise<void> {
  if (user.role !== "admin") return;
  const others = await trx.selectFrom("app_user").select(["role"]).where("defined_at", "is not", null).where("id", "!=", user.id).execute();
  if (others.length > 0 && !others.some((o) => o.role === "admin"))
    throw new UsageError(`${user.username} is the last admin: ${what} would leave ${others.length} user(s) with no admin`, {
      hint: "make another user an admin first (`leadjobs users edit NAME --role admin`)",
    });
}

/** Changes a user's name, email, role or OS accounts, and records the change. */
export async function editUser(
  db: Db,
  username: string,
  p: UserPatch,
  by: ChangedBy,
  now: number,
): Promise<{ user: UserRecord; changed: string[] }> {
  return immediate(db, async (trx) => {
    const before = await getUser(trx, username);
    if (p.role !== undefined && p.role !== "admin") await assertAdminLeft(trx, before, `making them ${p.role}`);
    const unknown = (p.rmOsAccounts ?? []).filter((a) => !before.osAccounts.includes(a));
    if (unknown.length > 0) throw new UsageError(`the OS account "${unknown[0]}" does not act as ${username}`);
    await assertAccountsFree(trx, p.addOsAccounts ?? [], before.id);
    const set = {
      ...(p.name !== undefined ? { display_name: p.name } : {}),
      ...(p.email !== undefined ? { email: p.email } : {}),
      ...(p.role !== undefined ? { role: p.role } : {}),
    };
    if (Object.keys(set).length > 0) await trx.updateTable("app_user").set(set).where("id", "=", before.id).execute();
    if (p.rmOsAccounts?.length)
      await trx.deleteFrom("user_os_account").where("user_id", "=", before.id).where("os_account", "in", p.rmOsAccounts).execute();
    await addAccounts(trx, before.id, p.addOsAccounts ?? [], toInstant(now));
    const user = await getUser(trx, username);
    const a = audited(before) ?? {};
    const b = audited(user) ?? {};
    const changed = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (changed.length > 0) await audit(trx, before, user, by, now);
    return { user, changed };
  });
}

/**
 * Ends a user: they no longer act and their OS accounts are unmapped. The row stays (their
 * trackings, the audit trail and the schedules they own keep referring to it); `users add` defines
 * them again. Removing the last user returns the database to single-operator mode.
 */
export async function removeUser(
  db: Db,
  username: string,
  by: ChangedBy,
  now: number,
): Promise<{ user: UserRecord; singleOperator: boolean }> {
  return immediate(db, async (trx) => {
    const before = await getUser(trx, username);
    await assertAdminLeft(trx, before, "removing them");
    await trx.deleteFrom("user_os_account").where("user_id", "=", before.id).execute();
    await trx.updateTable("app_user").set({ defined_at: null }).where("id", "=", before.id).execute();
    const after: UserRecord = { ...before, definedAt: null, osAccounts: [] };
    await audit(trx, before, after, by, now);
    return { user: before, singleOperator: !(await usersDefined(trx)) };
  });
}
