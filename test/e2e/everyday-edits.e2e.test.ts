import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBolagsverket } from "../fakes/bolagsverket-server.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query, writeSync } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// Issue 14, everyday edits: leads edit|rm, terminals edit|rename|rm, companies add, brands edit|rm
// and competitors that keep what they had.

const oneLine = (text: string) => text.trim().split("\n").length === 1;
const csv = [
  "orgnr;name;town;sni",
  "5560160680;Åkesson Logistik AB;Göteborg;52290",
  "5566778899;Webbia Handel AB;Stockholm;47910",
  "5560125790;Malmö Bygg AB;Malmö;41200",
].join("\n");

/** Three companies, two terminals (Riks the default), a town rule, and three leads. */
async function salesDb(): Promise<string> {
  const dir = tempDir();
  const db = join(dir, "edits.db");
  writeFileSync(join(dir, "companies.csv"), csv);
  await runJson(["companies", "import", join(dir, "companies.csv")], db);
  await runJson(["terminals", "add", "Göteborg Terminal"], db);
  await runJson(["terminals", "add", "Riks Terminal", "--default"], db);
  await runJson(["terminals", "rules", "add", "Göteborg Terminal", "--town", "Göteborg"], db);
  for (const orgnr of ["5560160680", "5566778899", "5560125790"]) await runJson(["leads", "add", orgnr, "--as", "anna"], db);
  return db;
}

/** Runs each case: exit 2, one line on stderr matching the message. */
async function refused(db: string, cases: Array<[string[], RegExp]>, env?: Record<string, string | undefined>): Promise<void> {
  for (const [args, message] of cases) {
    const r = await runCli(args, db, env ? { env } : {});
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(oneLine(r.stderr), r.stderr).toBe(true);
  }
}

const LEAD_TABLES = ["lead", "lead_event", "lead_analysis", "terminal", "terminal_rule", "audit_log", "company"];

describe("leads edit and rm", { timeout: 300_000 }, () => {
  it("edit sets and clears the contact person, each change a lead event", async () => {
    const db = await salesDb();
    const set = ["leads", "edit", "1", "--contact-name", "Eva Ek", "--contact-email", "eva@akesson.se", "--contact-phone", "031-12 34 56"];
    expect(await runJson([...set, "--as", "anna"], db)).toEqual({ id: 1, changed: ["contactName", "contactEmail", "contactPhone"] });
    expect((await runJson(["leads", "show", "1"], db)).lead.contact).toEqual({
      name: "Eva Ek",
      email: "eva@akesson.se",
      phone: "031-12 34 56",
    });
    expect(await runJson(set, db)).toEqual({ id: 1, changed: [] });
    expect(await runJson(["leads", "edit", "556016-0680", "--contact-phone", "", "--status", "contacted"], db)).toEqual({
      id: 1,
      changed: ["status", "contactPhone"],
    });
    const show = await runJson(["leads", "show", "1"], db);
    expect(show.lead).toMatchObject({ status: "contacted", contact: { name: "Eva Ek", email: "eva@akesson.se", phone: null } });
    expect(show.events.filter((e: { kind: string }) => e.kind === "edited").map((e: { detail: unknown }) => e.detail)).toEqual([
      { contactName: "Eva Ek" },
      { contactEmail: "eva@akesson.se" },
      { contactPhone: "031-12 34 56" },
      { contactPhone: null },
    ]);
    expect((await runCli(["leads", "show", "1"], db)).stdout).toMatch(/contact\s+Eva Ek, eva@akesson.se/);
  });

  it("rm removes leads with their events; the company stays; the audit log keeps the lead and its trail", async () => {
    const db = await salesDb();
    await runJson(["leads", "edit", "1", "--notes", "ring VD", "--as", "anna"], db);
    const r = await runJson(["leads", "rm", "1", "556677-8899", "1", "--as", "bo"], db);
    expect(r).toEqual({
      removed: [
        { id: 1, orgnr: "5560160680", name: "Åkesson Logistik AB", events: 3, analyses: 0 },
        { id: 2, orgnr: "5566778899", name: "Webbia Handel AB", events: 2, analyses: 0 },
      ],
    });
    expect(query(db, "select id from lead order by id")).toEqual([{ id: 3 }]);
    expect(query(db, "select count(*) as n from lead_event where lead_id in (1, 2)")).toEqual([{ n: 0 }]);
    expect((await runJson(["companies", "show", "5560160680"], db)).lead).toBeNull();
    const audit = query<{ row_id: number; worker: string; old_values: string }>(
      db,
      "select row_id, worker, old_values from audit_log where table_name = 'lead' and action = 'delete' order by row_id",
    );
    expect(audit.map((a) => [a.row_id, a.worker])).toEqual([
      [1, "user:bo"],
      [2, "user:bo"],
    ]);
    const kept = JSON.parse(audit[0]?.old_values ?? "{}");
    expect(kept).toMatchObject({ orgnr: "5560160680", notes: "ring VD", source: "user:anna" });
    expect(kept.events.map((e: { kind: string; actor: string }) => `${e.kind} ${e.actor}`)).toEqual([
      "created user:anna",
      "assigned user:anna",
      "edited user:anna",
    ]);
    const human = await runCli(["leads", "rm", "3"], db);
    expect([human.code, human.stderr]).toEqual([0, ""]);
    expect(human.stdout).toBe("removed lead 3: Malmö Bygg AB (5560125790) with 2 event(s) and 0 analysis(es)\n");
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const db = await salesDb();
    const before = counts(db, LEAD_TABLES);
    await refused(db, [
      [["leads", "rm", "1", "99"], /no lead with id 99/],
      [["leads", "rm", "5560160681"], /invalid organisationsnummer/],
      [["leads", "rm", "2", "5567549984"], /5567549984 is not a lead/],
      [["leads", "edit", "1", "--contact-email", "eva@"], /invalid --contact-email "eva@"/],
      [["leads", "edit", "1", "--contact-phone", "ring mig"], /invalid --contact-phone "ring mig"/],
      [["leads", "edit", "1", "--contact-phone", "12"], /invalid --contact-phone "12"/],
      [["leads", "rm", "1", "--as", "no body"], /invalid --as "no body"/],
      [["leads", "edit", "1", "--website", "javascript:x", "--no-website"], /^leadjobs: use either --website or --no-website\n$/],
      [["leads", "edit", "1", "--no-website", "--website", "akesson.se"], /^leadjobs: use either --website or --no-website\n$/],
    ]);
    expect(counts(db, LEAD_TABLES)).toEqual(before);
    expect(query(db, "select contact_email from lead where id = 1")).toEqual([{ contact_email: null }]);
  });
});

describe("terminals edit, rename, rm", { timeout: 300_000 }, () => {
  it("rename keeps the terminal's leads and rules; edit moves the default", async () => {
    const db = await salesDb();
    expect(await runJson(["terminals", "rename", "Göteborg Terminal", "Väst Terminal", "--as", "anna"], db)).toEqual({
      id: 1,
      from: "Göteborg Terminal",
      to: "Väst Terminal",
      changed: true,
      schedules: [],
      jobs: [],
    });
    expect((await runJson(["leads", "show", "1"], db)).lead.terminal).toBe("Väst Terminal");
    expect((await runJson(["terminals", "rules"], db)).rules[0]).toMatchObject({ terminal: "Väst Terminal", description: "town Göteborg" });
    expect((await runJson(["leads", "list", "--terminal", "väst terminal"], db)).leads.map((l: { id: number }) => l.id)).toEqual([1]);
    // a new lead from Göteborg still goes there by the rule
    await runJson(["companies", "add", "5567549984", "--name", "Göteborgs Trä AB", "--town", "Göteborg"], db);
    expect(await runJson(["leads", "add", "5567549984"], db)).toMatchObject({ terminal: "Väst Terminal" });

    expect(await runJson(["terminals", "edit", "väst", "--description", "Västra Götaland", "--default"], db)).toEqual({
      id: 1,
      changed: ["description", "default"],
    });
    const list = (await runJson(["terminals", "list"], db)).terminals;
    expect(list.map((t: { name: string; isDefault: boolean; description: string | null }) => [t.name, t.isDefault, t.description])).toEqual(
      [
        ["Riks Terminal", false, null],
        ["Väst Terminal", true, "Västra Götaland"],
      ],
    );
    expect(await runJson(["terminals", "edit", "1", "--no-default", "--description", ""], db)).toEqual({
      id: 1,
      changed: ["description", "default"],
    });
    expect(query(db, "select count(*) as n from terminal where is_default = 1")).toEqual([{ n: 0 }]);
    expect(query(db, "select action, worker from audit_log where table_name = 'terminal' and action <> 'insert' order by id")).toEqual([
      { action: "update", worker: "user:anna" },
      { action: "update", worker: expect.stringMatching(/^user:/) },
      { action: "update", worker: expect.stringMatching(/^user:/) },
    ]);
  });

  it("rm: leads need --reassign-to (moved with events, rules too, one transaction); the default needs --default-to", async () => {
    const db = await salesDb();
    const r = await runJson(["terminals", "rm", "Göteborg Terminal", "--reassign-to", "riks", "--as", "anna"], db);
    expect(r).toEqual({
      id: 1,
      name: "Göteborg Terminal",
      reassignedTo: "Riks Terminal",
      leadsMoved: 1,
      rulesMoved: 1,
      rulesRemoved: 0,
      newDefault: null,
    });
    const lead = await runJson(["leads", "show", "1"], db);
    expect(lead.lead.terminal).toBe("Riks Terminal");
    expect(lead.events.at(-1)).toMatchObject({
      kind: "assigned",
      actor: "user:anna",
      detail: { terminalId: 2, reason: 'terminal "Göteborg Terminal" removed' },
    });
    expect((await runJson(["terminals", "rules"], db)).rules.map((x: { terminal: string }) => x.terminal)).toEqual(["Riks Terminal"]);

    await runJson(["terminals", "add", "Syd Terminal"], db);
    const refusedDefault = await runCli(["terminals", "rm", "Riks Terminal", "--reassign-to", "Syd Terminal"], db);
    expect(refusedDefault.code).toBe(2);
    expect(refusedDefault.stderr).toMatch(/"Riks Terminal" is the default terminal: name the next one with --default-to OTHER/);
    expect((await runJson(["terminals", "list"], db)).terminals).toHaveLength(2);
    const human = await runCli(["terminals", "rm", "2", "--reassign-to", "syd", "--default-to", "syd"], db);
    expect([human.code, human.stderr]).toEqual([0, ""]);
    expect(human.stdout).toBe(
      'removed terminal 2 "Riks Terminal"; 3 lead(s) and 1 rule(s) moved to "Syd Terminal"; "Syd Terminal" is the default terminal now\n',
    );
    expect((await runJson(["terminals", "list"], db)).terminals).toMatchObject([{ name: "Syd Terminal", isDefault: true, leads: 3 }]);
    // without leads, its rules go with it
    await runJson(["terminals", "add", "Norr Terminal"], db);
    await runJson(["terminals", "rules", "add", "norr", "--town", "Umeå"], db);
    expect(await runJson(["terminals", "rm", "Norr Terminal"], db)).toMatchObject({ leadsMoved: 0, rulesRemoved: 1 });
    expect(query(db, "select action from audit_log where table_name = 'terminal' and action <> 'insert' order by id")).toEqual([
      { action: "delete" },
      { action: "delete" },
      { action: "delete" },
    ]);
  });

  it("rules edit moves a rule in the order and to another terminal", async () => {
    const db = await salesDb();
    await runJson(["terminals", "rules", "add", "riks", "--sni", "47"], db);
    expect(await runJson(["terminals", "rules", "edit", "2", "--position", "1", "--terminal", "Göteborg Terminal"], db)).toEqual({
      id: 2,
      changed: ["position", "terminal"],
    });
    expect((await runJson(["terminals", "rules"], db)).rules.map((x: { id: number; terminal: string }) => [x.id, x.terminal])).toEqual([
      [2, "Göteborg Terminal"],
      [1, "Göteborg Terminal"],
    ]);
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const db = await salesDb();
    await runJson(["terminals", "add", "Syd Terminal"], db);
    const before = counts(db, LEAD_TABLES);
    const events = query(db, "select * from lead_event order by id");
    const leads = query(db, "select id, terminal_id, updated_at from lead order by id");
    await refused(db, [
      [["terminals", "rm", "Göteborg Terminal"], /terminal "Göteborg Terminal" has 1 lead\(s\): move them with --reassign-to OTHER/],
      [
        ["terminals", "rm", "göteborg", "--reassign-to", "riks"],
        /"göteborg" is not a whole terminal name: give "Göteborg Terminal" or its id 1/,
      ],
      [["terminals", "rm", "Göteborg Terminal", "--reassign-to", "1"], /--reassign-to names "Göteborg Terminal" itself/],
      [["terminals", "rm", "Göteborg Terminal", "--reassign-to", "Nowhere"], /no terminal "Nowhere"/],
      [["terminals", "rm", "Riks Terminal", "--reassign-to", "syd"], /is the default terminal/],
      [["terminals", "rm", "Riks Terminal", "--reassign-to", "syd", "--default-to", "riks"], /--default-to names "Riks Terminal" itself/],
      [["terminals", "rename", "Syd Terminal", "riks terminal"], /terminal "Riks Terminal" exists already/],
      [["terminals", "rename", "Syd Terminal", " "], /a terminal needs a name/],
      [["terminals", "rename", "Nowhere", "X"], /no terminal "Nowhere"/],
      [["terminals", "edit", "syd"], /nothing to change/],
      [["terminals", "edit", "Nowhere", "--default"], /no terminal "Nowhere"/],
      [["terminals", "edit", "Riks Terminal", "--default", "--no-default"], /^leadjobs: use either --default or --no-default\n$/],
      [["terminals", "rules", "edit", "1"], /nothing to change/],
      [["terminals", "rules", "edit", "9", "--position", "1"], /no rule with id 9/],
      [["terminals", "rules", "edit", "1", "--terminal", "Nowhere"], /no terminal "Nowhere"/],
    ]);
    expect(counts(db, LEAD_TABLES)).toEqual(before);
    expect(query(db, "select * from lead_event order by id")).toEqual(events);
    expect(query(db, "select id, terminal_id, updated_at from lead order by id")).toEqual(leads);
    expect(query(db, "select name, is_default from terminal order by id")).toEqual([
      { name: "Göteborg Terminal", is_default: 0 },
      { name: "Riks Terminal", is_default: 1 },
      { name: "Syd Terminal", is_default: 0 },
    ]);
  });
});

describe("companies add", { timeout: 300_000 }, () => {
  let fake: FakeBolagsverket;
  beforeAll(async () => {
    fake = await new FakeBolagsverket().start();
    fake.add({
      orgnr: "5567549984",
      name: "Norrlands Trä AB",
      form: "AB",
      sni: [{ kod: "16100", klartext: "Sågning av trä" }],
      town: "Umeå",
      postcode: "90326",
    });
  });
  afterAll(() => fake.stop());
  const bolagsverket = () => ({
    BOLAGSVERKET_CLIENT_ID: fake.clientId,
    BOLAGSVERKET_CLIENT_SECRET: fake.clientSecret,
    LEADJOBS_BOLAGSVERKET_BASE_URL: fake.baseUrl,
    LEADJOBS_BOLAGSVERKET_TOKEN_URL: fake.tokenUrl,
  });
  const noBolagsverket = { BOLAGSVERKET_CLIENT_ID: undefined, BOLAGSVERKET_CLIENT_SECRET: undefined };

  it("by hand: checked like a CSV row; in the register already is exit 2 unless --update", async () => {
    const db = join(tempDir(), "add.db");
    const o = { env: noBolagsverket };
    const add = ["companies", "add", "556016-0680", "--name", "Åkesson Logistik AB", "--town", "Göteborg", "--postcode", "41764"];
    const r = await runCli([...add, "--sni", "52290", "--sni", "49410", "--website", "akesson.se", "--legal-form", "aktiebolag"], db, o);
    expect([r.code, r.stderr, r.stdout]).toEqual([0, "", "added 5560160680 Åkesson Logistik AB\n"]);
    expect(await runJson(["companies", "show", "5560160680"], db)).toMatchObject({
      name: "Åkesson Logistik AB",
      legalForm: "AB",
      town: "Göteborg",
      municipality: "Göteborg",
      postcode: "417 64",
      website: "https://akesson.se",
      sni: [{ code: "52290" }, { code: "49410" }],
      source: "manual",
      enrichedAt: null,
    });
    const again = await runCli([...add], db, o);
    expect([again.code, again.stderr]).toEqual([
      2,
      "leadjobs: 5560160680 (Åkesson Logistik AB) is already in the register (give --update to change it)\n",
    ]);
    expect(await runJson(["companies", "add", "5560160680", "--update", "--employees", "40"], db, o)).toEqual({
      orgnr: "5560160680",
      name: "Åkesson Logistik AB",
      outcome: "updated",
      from: "hand",
    });
    expect(await runJson(["companies", "add", "5560160680", "--update", "--employees", "40"], db, o)).toMatchObject({
      outcome: "unchanged",
    });
    expect(await runJson(["companies", "show", "5560160680"], db)).toMatchObject({ employees: 40, town: "Göteborg" });
    // a company added by hand is found by search (the full-text index follows the table)
    expect((await runJson(["companies", "search", "åkesson"], db)).companies.map((c: { orgnr: string }) => c.orgnr)).toEqual([
      "5560160680",
    ]);
  });

  it("from Bolagsverket when configured, the fields given winning; --by-hand asks nobody", async () => {
    const db = join(tempDir(), "add-hvd.db");
    const asked = fake.apiRequests.length;
    const r = await runJson(["companies", "add", "5567549984", "--website", "norrlandstra.se"], db, { env: bolagsverket() });
    expect(r).toEqual({ orgnr: "5567549984", name: "Norrlands Trä AB", outcome: "created", from: "bolagsverket" });
    expect(fake.apiRequests.length).toBe(asked + 1);
    expect(await runJson(["companies", "show", "5567549984"], db)).toMatchObject({
      name: "Norrlands Trä AB",
      town: "Umeå",
      postcode: "903 26",
      website: "https://norrlandstra.se",
      source: "bolagsverket-api",
      enrichedAt: expect.any(String),
    });
    const byHand = await runJson(["companies", "add", "5560125790", "--name", "Malmö Bygg AB", "--by-hand"], db, { env: bolagsverket() });
    expect(byHand).toMatchObject({ outcome: "created", from: "hand" });
    expect(fake.apiRequests.length).toBe(asked + 1);
    const before = counts(db, ["company", "job", "audit_log"]);
    await refused(
      db,
      [
        [["companies", "add", "5566778899"], /Bolagsverket has no company 5566778899 \(add it by hand: --by-hand --name NAME\)/],
        [["companies", "add", "5567549984"], /5567549984 \(Norrlands Trä AB\) is already in the register/],
      ],
      bolagsverket(),
    );
    expect(counts(db, ["company", "job", "audit_log"])).toEqual(before);
  });

  it("an answer about another organisation, or one that is not JSON: exit 69, nothing written", async () => {
    const db = join(tempDir(), "add-other.db");
    fake.answerAs.set("5560160680", "5567549984");
    try {
      const r = await runCli(["companies", "add", "5560160680"], db, { env: bolagsverket() });
      expect([r.code, r.stderr]).toEqual([
        69,
        "leadjobs: Bolagsverket about 5560160680: the answer is about another organisation (5567549984)\n",
      ]);
    } finally {
      fake.answerAs.clear();
    }
    fake.htmlAnswers = true;
    try {
      const r = await runCli(["companies", "add", "5567549984"], db, { env: bolagsverket() });
      expect([r.code, r.stderr]).toEqual([69, "leadjobs: Bolagsverket about 5567549984: unreadable answer\n"]);
    } finally {
      fake.htmlAnswers = false;
    }
    expect(query(db, "select orgnr from company")).toEqual([]);
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const db = join(tempDir(), "add-bad.db");
    await runJson(["companies", "add", "5560160680", "--name", "Åkesson Logistik AB"], db, { env: noBolagsverket });
    const before = query(db, "select * from company order by orgnr");
    await refused(
      db,
      [
        [["companies", "add", "5560160681", "--name", "X"], /invalid organisationsnummer: "5560160681": wrong check digit/],
        [["companies", "add", "5566778899"], /--name is needed to add 5566778899 by hand/],
        [["companies", "add", "5566778899", "--name", "X", "--postcode", "12"], /cannot add 5566778899: invalid postcode "12"/],
        [["companies", "add", "5566778899", "--name", "X", "--sni", "4x"], /invalid SNI code in "4x"/],
        [["companies", "add", "5566778899", "--name", "X", "--website", "ftp://x.se"], /invalid website "ftp:\/\/x.se"/],
        [["companies", "add", "5566778899", "--name", "X", "--employees", "många"], /invalid employees "många"/],
        [
          ["companies", "add", "5566778899", "--name", "X", "--employees", "99999999999999999999"],
          /invalid employees "99999999999999999999" \(a whole number from 0 to 1000000\)/,
        ],
        [["companies", "add", "5566778899", "--name", "X", "--revenue-tkr", "0x10"], /invalid revenue_tkr "0x10"/],
        [["companies", "add", "5566778899", "--name", "X", "--employees", "1e3"], /invalid employees "1e3"/],
        [["companies", "add", "5566778899", "--name", "X", "--legal-form", "ett bolag"], /unknown legal form "ett bolag"/],
        [["companies", "add", "5560160680", "--name", "Y"], /already in the register/],
      ],
      noBolagsverket,
    );
    expect(query(db, "select * from company order by orgnr")).toEqual(before);
  });
});

describe("brands edit, rm and competitors", { timeout: 300_000 }, () => {
  async function brandDb(): Promise<string> {
    const db = join(tempDir(), "brands.db");
    await runJson(["brands", "add", "Budbee", "--customer", "Budbee AB", "--alias", "Budbee AB", "--domain", "budbee.com"], db);
    await runJson(["brands", "competitors", "Budbee", "--add", "PostNord", "--alias", "Post Nord", "--domain", "postnord.se"], db);
    await runJson(["brands", "competitors", "Budbee", "--add", "Bring"], db);
    await runJson(["brands", "queries", "add", "Budbee", "--new-topic", "hemleverans", "Vilket paketbud är bäst?"], db);
    return db;
  }
  const rival = async (db: string, name: string) =>
    (await runJson(["brands", "competitors", "Budbee"], db)).competitors.find((c: { name: string }) => c.name === name);

  it("competitors: adding again adds aliases and domains; --edit and --remove-* change them", async () => {
    const db = await brandDb();
    await runJson(["brands", "competitors", "Budbee", "--add", "postnord", "--alias", "PN", "--domain", "https://www.postnord.com/"], db);
    expect(await rival(db, "PostNord")).toEqual({
      id: 1,
      name: "PostNord",
      aliases: ["Post Nord", "PN"],
      domains: ["postnord.se", "postnord.com"],
    });
    await runJson(["brands", "competitors", "Budbee", "--add", "PostNord"], db);
    expect((await rival(db, "PostNord")).aliases).toEqual(["Post Nord", "PN"]);
    await runJson(
      [
        "brands",
        "competitors",
        "Budbee",
        "--edit",
        "POSTNORD",
        "--remove-alias",
        "post nord",
        "--remove-domain",
        "postnord.se",
        "--alias",
        "Postnord Sverige",
      ],
      db,
    );
    expect(await rival(db, "PostNord")).toMatchObject({ aliases: ["PN", "Postnord Sverige"], domains: ["postnord.com"] });
    const before = query(db, "select * from competitor order by id");
    await refused(db, [
      [["brands", "competitors", "Budbee", "--edit", "DHL", "--alias", "x"], /Budbee has no competitor "DHL"/],
      [["brands", "competitors", "Budbee", "--edit", "PostNord"], /nothing to change/],
      [["brands", "competitors", "Budbee", "--edit", "PostNord", "--remove-alias", "Posten"], /no alias "Posten" to remove/],
      [["brands", "competitors", "Budbee", "--edit", "PostNord", "--remove-domain", "bring.se"], /no domain "bring.se" to remove/],
      [["brands", "competitors", "Budbee", "--edit", "PostNord", "--alias", "budbee ab"], /a brand cannot be its own competitor/],
      [["brands", "competitors", "Budbee", "--add", "BUDBEE"], /a brand cannot be its own competitor/],
      [["brands", "competitors", "Budbee", "--alias", "x"], /go with --add NAME or --edit NAME/],
      [["brands", "competitors", "Budbee", "--add", "X", "--edit", "Y"], /use one of --add, --edit or --remove/],
    ]);
    expect(query(db, "select * from competitor order by id")).toEqual(before);
  });

  it("edit: name, customer, aliases and domains; never one of its competitors", async () => {
    const db = await brandDb();
    const r = await runJson(
      [
        "brands",
        "edit",
        "budbee",
        "--name",
        "Budbee Sverige",
        "--customer",
        "Instabee",
        "--alias",
        "Instabee",
        "--remove-alias",
        "budbee ab",
      ],
      db,
    );
    expect(r).toEqual({ id: 1, name: "Budbee Sverige", changed: ["name", "customer", "aliases"], schedules: [], jobs: [] });
    await runJson(["brands", "edit", "1", "--domain", "budbee.se", "--remove-domain", "budbee.com", "--as", "anna"], db);
    expect(await runJson(["brands", "show", "Budbee Sverige"], db)).toMatchObject({
      name: "Budbee Sverige",
      customer: "Instabee",
      aliases: ["Instabee"],
      domains: ["budbee.se"],
      activeQueries: 1,
    });
    expect(query(db, "select action, worker from audit_log where table_name = 'brand' order by id")).toEqual([
      { action: "update", worker: expect.stringMatching(/^user:/) },
      { action: "update", worker: "user:anna" },
    ]);
    await runJson(["brands", "add", "Airmee", "--customer", "Airmee AB"], db);
    const before = query(db, "select * from brand order by id");
    await refused(db, [
      [
        ["brands", "edit", "Budbee Sverige", "--alias", "post nord"],
        /"post nord" is Budbee Sverige's competitor PostNord: a brand cannot be its own competitor/,
      ],
      [["brands", "edit", "Budbee Sverige", "--name", "Bring"], /a brand cannot be its own competitor/],
      [["brands", "edit", "Budbee Sverige", "--name", "airmee"], /brand "Airmee" exists already/],
      [["brands", "edit", "Budbee Sverige", "--remove-alias", "Budbee AB"], /no alias "Budbee AB" to remove/],
      [["brands", "edit", "Budbee Sverige", "--domain", "not a domain"], /"not a domain" is not a web domain/],
      [["brands", "edit", "Budbee Sverige"], /nothing to change/],
      [["brands", "edit", "Budbee Sverige", "--customer", " "], /a brand needs a customer/],
      [["brands", "edit", "Nope", "--alias", "x"], /no brand "Nope"/],
    ]);
    expect(query(db, "select * from brand order by id")).toEqual(before);
  });

  it("rm: a brand with answers is refused unless --force, which removes them with their scores", async () => {
    const db = await brandDb();
    writeSync(
      db,
      "insert into answer (brand_id, query_text, provider, model, asked_at, text) values (1, 'q', 'openai', 'm', ?, ?)",
      "2026-03-01T10:00:00.000Z",
      "1. Budbee 2. PostNord 3. Bring — Budbee är bäst.",
    );
    expect(await runJson(["brands", "score", "Budbee"], db)).toMatchObject({ answers_scored: 1 });
    const tables = ["brand", "competitor", "topic", "brand_query", "answer", "answer_mention", "customer"];
    const before = counts(db, tables);
    expect(before.answer_mention).toBeGreaterThan(0);
    await refused(db, [
      [["brands", "rm", "Budbee"], /brand "Budbee" has 1 answer\(s\) with their scores: give --force to remove them with it/],
    ]);
    expect(counts(db, tables)).toEqual(before);
    expect(await runJson(["brands", "rm", "budbee", "--force", "--as", "anna"], db)).toEqual({
      id: 1,
      name: "Budbee",
      competitors: 2,
      topics: 1,
      queries: 1,
      answers: 1,
    });
    expect(counts(db, tables)).toEqual({ brand: 0, competitor: 0, topic: 0, brand_query: 0, answer: 0, answer_mention: 0, customer: 1 });
    expect(query(db, "select action, worker from audit_log where table_name = 'brand'")).toEqual([
      { action: "delete", worker: "user:anna" },
    ]);
    // without answers no --force is needed
    await runJson(["brands", "add", "Airmee", "--customer", "Airmee AB"], db);
    const human = await runCli(["brands", "rm", "Airmee"], db);
    expect([human.code, human.stderr]).toEqual([0, ""]);
    expect(human.stdout).toMatch(/^removed brand \d+ "Airmee" with 0 competitor\(s\), 0 topic\(s\), 0 queries and 0 answer\(s\)\n$/);
  });
});
