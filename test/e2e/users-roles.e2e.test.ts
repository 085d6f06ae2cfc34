import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// The OS account is set with LEADJOBS_USER, which the binary reads before the login name.
const as = (user: string) => ({ env: { LEADJOBS_USER: user } });
const oneLine = (text: string) => text.trim().split("\n").length === 1;
const WRITTEN = [
  "schedule",
  "schedule_audit",
  "schedule_fire",
  "job",
  "app_user",
  "user_os_account",
  "audit_log",
  "company_tracking",
  "terminal",
  "terminal_rule",
  "company",
];

/** Row counts of every table a refused command could write, and the schedules' last change, in one query. */
function written(db: string): unknown {
  const parts = WRITTEN.map((t) => `(select count(*) from ${t}) as ${t}`);
  const state = "(select max(updated_at) from schedule) as schedule_updated, (select sum(active) from schedule) as active";
  return query(db, `select ${parts.join(", ")}, ${state}`);
}

/** A database with one admin (alice), two managers (anna, bob; bob also acts from bob-laptop) and a sales user (sam). */
async function team(): Promise<string> {
  const db = join(tempDir(), "team.db");
  await runJson(["users", "add", "alice", "--role", "admin", "--email", "alice@acme.se"], db, as("alice"));
  await runJson(["users", "add", "anna", "--role", "manager", "--os-account", "anna"], db, as("alice"));
  await runJson(["users", "add", "bob", "--role", "manager", "--os-account", "bob,bob-laptop"], db, as("alice"));
  await runJson(["users", "add", "sam", "--role", "sales", "--os-account", "sam"], db, as("alice"));
  return db;
}

async function addSchedule(db: string, user: string, name: string) {
  return runJson(["schedule", "add", "--name", name, "--type", "noop", "--at", "02:00"], db, as(user));
}

/** Runs a command expected to be refused: exit `code`, one line on stderr, nothing written. */
async function refused(db: string, args: string[], user: string, code: number, message: RegExp) {
  const before = written(db);
  const r = await runCli(args, db, as(user));
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code, stdout: "" });
  expect(r.stderr).toMatch(message);
  expect(oneLine(r.stderr)).toBe(true);
  expect(written(db)).toEqual(before);
}

// Each test runs the binary 15-30 times: generous limits for a loaded machine (no timing is asserted).
describe("users and roles", { timeout: 600_000 }, () => {
  it("manager A cannot pause manager B's schedule (exit 77, nothing written); the admin can", async () => {
    const db = await team();
    const s = await addSchedule(db, "bob", "Bobs nattjobb");
    expect(s.owner).toBe("bob");
    await refused(
      db,
      ["schedule", "pause", "bobs-nattjobb"],
      "anna",
      77,
      /anna \(manager\) may change only their own schedules: Bobs nattjobb is bob's/,
    );
    for (const verb of [["resume"], ["trigger"], ["rm"], ["edit", "--at", "03:00"], ["rename"]]) {
      const args =
        verb[0] === "rename"
          ? ["schedule", "rename", "bobs-nattjobb", "Annas nu"]
          : ["schedule", verb[0]!, "bobs-nattjobb", ...verb.slice(1)];
      await refused(db, args, "anna", 77, /may change only their own schedules/);
    }
    expect(query(db, "select active from schedule where id = ?", s.id)).toEqual([{ active: 1 }]);

    const paused = await runJson(["schedule", "pause", "bobs-nattjobb"], db, as("alice"));
    expect(paused.changed).toBe(true);
    expect(query(db, "select active from schedule where id = ?", s.id)).toEqual([{ active: 0 }]);
    // the owner manages their own: bob resumes it from his second OS account
    await runJson(["schedule", "resume", "bobs-nattjobb"], db, as("bob-laptop"));
    expect(query(db, "select action, actor from schedule_audit where schedule_id = ? order by id", s.id)).toEqual([
      { action: "add", actor: "bob" },
      { action: "pause", actor: "alice" },
      { action: "resume", actor: "bob" },
    ]);
    // managers see everyone's schedules
    const list = await runJson(["schedule", "list"], db, as("anna"));
    expect(list.schedules.map((x: { name: string }) => x.name)).toEqual(["Bobs nattjobb"]);
  });

  it("--as by a non-admin is refused; an admin acts for a user, and the trail names both", async () => {
    const db = await team();
    const s = await addSchedule(db, "bob", "Bobs jobb");
    await refused(
      db,
      ["schedule", "pause", "bobs-jobb", "--as", "bob"],
      "anna",
      77,
      /--as bob: only an admin may act for someone else \(anna is manager\)/,
    );
    await refused(db, ["schedule", "add", "--name", "X", "--type", "noop", "--at", "02:00", "--as", "alice"], "sam", 77, /only an admin/);
    await refused(db, ["schedule", "resume", "bobs-jobb", "--as", "nobody-at-all"], "sam", 77, /only an admin may act for someone else/);
    // an unknown name is refused even for an admin; an OS account that acts as nobody is refused
    await refused(
      db,
      ["schedule", "pause", "bobs-jobb", "--as", "nobody-at-all"],
      "alice",
      2,
      /--as nobody-at-all: no user named "nobody-at-all"/,
    );
    await refused(db, ["schedule", "pause", "bobs-jobb"], "mallory", 77, /the OS account "mallory" acts as no leadjobs user/);
    // naming yourself is not acting for someone else
    await runJson(["schedule", "pause", "bobs-jobb", "--as", "bob"], db, as("bob"));

    const added = await runJson(
      ["schedule", "add", "--name", "Annas jobb", "--type", "noop", "--at", "04:00", "--as", "anna"],
      db,
      as("alice"),
    );
    expect(added.owner).toBe("anna");
    await runJson(["schedule", "resume", "bobs-jobb", "--as", "bob"], db, as("alice"));
    expect(query(db, "select actor from schedule_audit where schedule_id = ? order by id desc limit 1", s.id)).toEqual([
      { actor: "bob (by alice)" },
    ]);
    // with --as the admin has that user's rights: anna may not touch bob's schedule, even through alice
    await refused(db, ["schedule", "pause", "bobs-jobb", "--as", "anna"], "alice", 77, /may change only their own schedules/);
  });

  it("sales users only read; managers may not give schedules away or manage users", async () => {
    const db = await team();
    await refused(
      db,
      ["schedule", "add", "--name", "Sams jobb", "--type", "noop", "--at", "02:00"],
      "sam",
      77,
      /sam \(sales\) may only read: adding a schedule needs a manager or an admin/,
    );
    await refused(db, ["jobs", "add", "noop"], "sam", 77, /sam \(sales\) may only read/);
    expect((await runCli(["schedule", "list"], db, as("sam"))).code).toBe(0);

    await addSchedule(db, "anna", "Annas jobb");
    await refused(
      db,
      ["schedule", "edit", "annas-jobb", "--owner", "bob"],
      "anna",
      77,
      /may not give schedule Annas jobb to another user: only an admin may/,
    );
    await refused(db, ["users", "add", "eve", "--role", "admin"], "anna", 77, /anna \(manager\) may not manage users/);
    await refused(
      db,
      ["users", "add", "zed", "--role", "sales"],
      "sam",
      77,
      /^leadjobs: sam \(sales\) may only read: managing users needs an admin\n$/,
    );
    await refused(db, ["users", "rm", "sam"], "bob", 77, /may not manage users/);
    await refused(db, ["schedule", "edit", "annas-jobb", "--owner", "nobody"], "alice", 2, /--owner nobody: no user named "nobody"/);
    const given = await runJson(["schedule", "edit", "annas-jobb", "--owner", "bob"], db, as("alice"));
    expect(given.changes.owner).toEqual(["anna", "bob"]);

    const job = await runJson(["jobs", "add", "noop", "--run-at", "1h"], db, as("anna"));
    await refused(db, ["jobs", "cancel", String(job.jobs[0].id)], "sam", 77, /may only read/);
    await runJson(["jobs", "cancel", String(job.jobs[0].id)], db, as("bob"));
  });

  it("terminals, rules, leads analyze and companies writes: an OS account that is no user is refused; terminal changes are audited", async () => {
    const db = await team();
    await runJson(["terminals", "add", "Riks Terminal"], db, as("alice"));
    const rule = await runJson(["terminals", "rules", "add", "Riks", "--town", "Umeå"], db, as("alice"));
    const noUser = /the OS account "eve" acts as no leadjobs user/;
    for (const args of [
      ["terminals", "add", "Eves Terminal", "--default"],
      ["terminals", "rules", "add", "Riks", "--sni", "47"],
      ["terminals", "rules", "edit", String(rule.id), "--position", "1"],
      ["terminals", "rules", "rm", String(rule.id)],
      ["leads", "analyze", "--not-analysed-since", "1d", "--provider", "rules"],
      ["companies", "add", "5567549984", "--name", "Stor AB", "--by-hand"],
      ["companies", "reset", "5567549984"],
    ])
      await refused(db, args, "eve", 77, noUser);
    const bolagsverket = {
      BOLAGSVERKET_CLIENT_ID: "x",
      BOLAGSVERKET_CLIENT_SECRET: "y",
      LEADJOBS_BOLAGSVERKET_BASE_URL: "http://127.0.0.1:9",
    };
    const r = await runCli(["companies", "enrich", "5567549984"], db, { env: { LEADJOBS_USER: "eve", ...bolagsverket } });
    expect([r.code, r.stderr]).toEqual([77, expect.stringMatching(noUser)]);
    // running a job is what `jobs add` allows: not for sales
    await refused(
      db,
      ["leads", "analyze", "--not-analysed-since", "1d", "--provider", "rules"],
      "sam",
      77,
      /sam \(sales\) may only read: changing jobs needs a manager or an admin/,
    );
    await runJson(["terminals", "rules", "edit", String(rule.id), "--position", "5"], db, as("sam"));
    await runJson(["terminals", "rules", "rm", String(rule.id)], db, as("sam"));
    const trail = query<{ table_name: string; action: string; worker: string }>(
      db,
      "select table_name, action, worker from audit_log where table_name in ('terminal', 'terminal_rule') order by id",
    );
    expect(trail).toEqual([
      { table_name: "terminal", action: "insert", worker: "user:alice" },
      { table_name: "terminal_rule", action: "insert", worker: "user:alice" },
      { table_name: "terminal_rule", action: "update", worker: "user:sam" },
      { table_name: "terminal_rule", action: "delete", worker: "user:sam" },
    ]);
  });

  it("user names and OS accounts may have letters beyond ASCII (åsa, jörgen)", async () => {
    const db = await team();
    const added = await runJson(["users", "add", "åsa", "--role", "manager", "--os-account", "åsa,jörgen"], db, as("alice"));
    expect(added.user).toMatchObject({ username: "åsa", osAccounts: ["jörgen", "åsa"] });
    const s = await addSchedule(db, "jörgen", "Åsas jobb");
    expect(s.owner).toBe("åsa");
    await refused(
      db,
      ["users", "add", "å sa", "--role", "sales"],
      "alice",
      2,
      /invalid user name "å sa": expected a user name \(letters, digits, \. _ @ -\)/,
    );
  });

  it("single-operator mode: with no users defined everything is allowed, --as is free text", async () => {
    const db = join(tempDir(), "single.db");
    await runJson(["schedule", "add", "--name", "Nattjobb", "--type", "noop", "--at", "02:00", "--as", "anna"], db, as("whoever"));
    for (const args of [
      ["schedule", "pause", "nattjobb", "--as", "nobody-at-all"],
      ["schedule", "resume", "nattjobb", "--as", "carl"],
      ["schedule", "rename", "nattjobb", "Nattjobb två"],
      ["schedule", "trigger", "nattjobb-tva"],
      ["jobs", "add", "noop"],
    ])
      expect((await runCli(args, db, as("whoever"))).code).toBe(0);
    expect(query(db, "select action, actor from schedule_audit order by id")).toEqual([
      { action: "add", actor: "anna" },
      { action: "pause", actor: "nobody-at-all" },
      { action: "resume", actor: "carl" },
      { action: "edit", actor: "whoever" },
      { action: "trigger", actor: "whoever" },
    ]);
    expect(await runJson(["users", "list"], db)).toEqual({
      mode: "single-operator",
      count: 0,
      total: 0,
      limit: null,
      offset: 0,
      users: [],
    });
    // the first user must be an admin: a manager first would leave nobody to manage users
    await refused(db, ["users", "add", "anna", "--role", "manager"], "whoever", 2, /the first user must be an admin/);
  });

  it("users rm of the last admin is refused while others remain; the last user's removal returns to single-operator mode", async () => {
    const db = await team();
    await refused(db, ["users", "rm", "alice"], "alice", 2, /alice is the last admin: removing them would leave 3 user\(s\) with no admin/);
    await refused(db, ["users", "edit", "alice", "--role", "manager"], "alice", 2, /alice is the last admin/);
    await runJson(["users", "edit", "bob", "--role", "admin"], db, as("alice"));
    const gone = await runJson(["users", "rm", "alice"], db, as("bob"));
    expect(gone).toMatchObject({ removed: { username: "alice" }, singleOperator: false });
    const bob = query<{ id: number }>(db, "select id from app_user where username = 'bob'")[0]!.id;
    expect(
      query(db, "select action, changed_fields, actor_user_id from audit_log where table_name = 'app_user' order by id desc limit 1"),
    ).toEqual([{ action: "update", changed_fields: JSON.stringify(["defined_at", "os_accounts"]), actor_user_id: bob }]);
    await refused(
      db,
      ["schedule", "add", "--name", "Y", "--type", "noop", "--at", "02:00"],
      "alice",
      77,
      /the OS account "alice" acts as no leadjobs user/,
    );
    for (const u of ["anna", "sam"]) await runJson(["users", "rm", u], db, as("bob"));
    const last = await runJson(["users", "rm", "bob"], db, as("bob"));
    expect(last.singleOperator).toBe(true);
    expect((await runCli(["schedule", "add", "--name", "Z", "--type", "noop", "--at", "02:00"], db, as("alice"))).code).toBe(0);
    // the rows stay (trackings and the audit trail refer to them); they are no longer users
    expect(query(db, "select count(*) as n from app_user where defined_at is null")).toEqual([{ n: 4 }]);
    expect(counts(db, ["user_os_account"])).toEqual({ user_os_account: 0 });
  });

  it("OS accounts map to users; users changes are in the audit trail with their actor", async () => {
    const db = await team();
    const s = await addSchedule(db, "bob-laptop", "Från laptopen");
    expect(s.owner).toBe("bob");
    await refused(
      db,
      ["users", "add", "eve", "--role", "sales", "--os-account", "bob-laptop"],
      "alice",
      2,
      /the OS account "bob-laptop" already acts as bob/,
    );
    const edited = await runJson(["users", "edit", "bob", "--rm-os-account", "bob-laptop", "--name", "Bob Berg"], db, as("alice"));
    expect(edited.changed).toEqual(["display_name", "os_accounts"]);
    expect(edited.user).toMatchObject({ username: "bob", name: "Bob Berg", osAccounts: ["bob"], role: "manager" });
    await refused(db, ["schedule", "pause", "fran-laptopen"], "bob-laptop", 77, /the OS account "bob-laptop" acts as no leadjobs user/);

    const shown = await runJson(["users", "show", "bob"], db);
    expect(shown.schedules).toEqual([{ id: s.id, name: "Från laptopen" }]);
    const alice = query<{ id: number }>(db, "select id from app_user where username = 'alice'")[0]!.id;
    const trail = query<{ row_id: number; action: string; actor_user_id: number | null; worker: string | null; changed_fields: string }>(
      db,
      "select row_id, action, actor_user_id, worker, changed_fields from audit_log where table_name = 'app_user' order by id",
    );
    // alice defined herself in single-operator mode (no user acted yet), then acted as herself
    expect(trail[0]).toMatchObject({ action: "insert", actor_user_id: null, worker: "user:alice" });
    expect(trail.slice(1).every((t) => t.actor_user_id === alice)).toBe(true);
    expect(trail.at(-1)).toMatchObject({ action: "update", changed_fields: JSON.stringify(["display_name", "os_accounts"]) });
    expect(trail).toHaveLength(5);
  });

  it("users add makes a person known from a tracking a user, keeping the row and the tracking", async () => {
    const dir = tempDir();
    const db = join(dir, "promote.db");
    writeFileSync(join(dir, "c.csv"), "orgnr,name,status\n556016-0680,Åkesson Logistik AB,active\n");
    await runJson(["companies", "import", join(dir, "c.csv")], db);
    await runJson(["track", "5560160680", "--rank", "10", "--as", "carl"], db);
    const before = query<{ id: number }>(db, "select id from app_user where username = 'carl'");
    expect(await runJson(["users", "list"], db)).toEqual({
      mode: "single-operator",
      count: 0,
      total: 0,
      limit: null,
      offset: 0,
      users: [],
    });
    expect((await runJson(["users", "list", "--everyone"], db)).users).toMatchObject([{ username: "carl", defined: false }]);

    const added = await runJson(["users", "add", "carl", "--role", "admin", "--os-account", "carl"], db, as("root"));
    expect(added).toMatchObject({
      promoted: true,
      user: { id: before[0]!.id, username: "carl", role: "admin", osAccounts: ["carl"], defined: true },
    });
    expect(counts(db, ["company_tracking"])).toEqual({ company_tracking: 1 });
    expect((await runJson(["users", "list"], db)).mode).toBe("users");
  });

  it("track and untrack follow the same rule: --as names someone else only for an admin, and a defined user", async () => {
    const db = await team();
    const dir = tempDir();
    writeFileSync(join(dir, "c.csv"), "orgnr,name,status\n556016-0680,Åkesson Logistik AB,active\n");
    await runJson(["companies", "import", join(dir, "c.csv")], db);
    await refused(db, ["track", "5560160680", "--rank", "10", "--as", "bob"], "anna", 77, /only an admin may act for someone else/);
    await refused(db, ["track", "5560160680", "--rank", "10", "--as", "carl"], "alice", 2, /no user named "carl"/);
    expect(await runJson(["track", "5560160680", "--rank", "10"], db, as("sam"))).toMatchObject({ user: "sam", userCreated: false });
    await runJson(["track", "5560160680", "--rank", "20", "--as", "bob"], db, as("alice"));
    await refused(db, ["untrack", "5560160680", "--as", "bob"], "sam", 77, /only an admin/);
    expect(query(db, "select u.username, t.rank from company_tracking t join app_user u on u.id = t.user_id order by u.username")).toEqual([
      { username: "bob", rank: 20 },
      { username: "sam", rank: 10 },
    ]);
  });

  it("schedule rename keeps the id, takes any printable name and records the change", async () => {
    const db = join(tempDir(), "rename.db");
    const s = await addSchedule(db, "anna", "nightly");
    await addSchedule(db, "anna", "Other");
    const r = await runJson(["schedule", "rename", "nightly", "Nattlig sökning – Logistikföretag"], db, as("anna"));
    expect(r).toMatchObject({ from: "nightly", changed: true, schedule: { id: s.id, name: "Nattlig sökning – Logistikföretag" } });
    const human = await runCli(["schedule", "rename", "nattlig-sokning-logistikforetag", "natt"], db, as("anna"));
    expect([human.code, human.stderr, human.stdout.trim()]).toEqual([
      0,
      "",
      `renamed schedule Nattlig sökning – Logistikföretag to natt (id ${s.id})`,
    ]);
    expect(query(db, "select action, changes from schedule_audit where schedule_id = ? and action = 'edit' order by id", s.id)).toEqual([
      { action: "edit", changes: JSON.stringify({ name: ["nightly", "Nattlig sökning – Logistikföretag"] }) },
      { action: "edit", changes: JSON.stringify({ name: ["Nattlig sökning – Logistikföretag", "natt"] }) },
    ]);
    await refused(db, ["schedule", "rename", "natt", "other"], "anna", 2, /too close to schedule "Other"/);
    await refused(db, ["schedule", "rename", "natt", "Other"], "anna", 2, /a schedule named "Other" already exists/);
    await refused(db, ["schedule", "rename", "natt", "12345"], "anna", 2, /invalid schedule name "12345"/);
    await refused(db, ["schedule", "rename", "natt", "tab\there"], "anna", 2, /printable characters only/);
    await refused(db, ["schedule", "rename", "nope", "Ny"], "anna", 2, /no schedule named "nope"/);
  });
});
