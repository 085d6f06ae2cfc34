import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBolagsverket } from "../fakes/bolagsverket-server.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const oneLine = (text: string) => text.trim().split("\n").length === 1;
const csv = [
  "orgnr;name;town;sni;employees;website",
  "5560160680;Åkesson Logistik AB;Göteborg;52290;40;akesson.se",
  "5566778899;Webbia Handel AB;Stockholm;47910;12;webbia.se",
  "5560125790;Malmö Bygg AB;Malmö;41200;5;",
  "5567549984;Norrlands Trä AB;Umeå;16100;80;",
].join("\n");

/** A database with four companies from a CSV. */
async function register(): Promise<{ dir: string; db: string }> {
  const dir = tempDir();
  const db = join(dir, "l.db");
  writeFileSync(join(dir, "companies.csv"), csv);
  const r = await runJson(["companies", "import", join(dir, "companies.csv")], db);
  expect(r).toMatchObject({ imported: 4, rejected: 0 });
  return { dir, db };
}

describe("companies, terminals and leads from the command line", () => {
  it("import, search and show", async () => {
    const { db } = await register();
    const s = await runJson(["companies", "search", "logistikföretag", "göteborg"], db);
    expect(s.companies.map((c: { orgnr: string }) => c.orgnr)).toEqual(["5560160680"]);
    expect((await runJson(["companies", "search", "--sni", "47", "--town", "Stockholm"], db)).count).toBe(1);
    const show = await runJson(["companies", "show", "556016-0680"], db);
    expect(show).toMatchObject({ name: "Åkesson Logistik AB", website: "https://akesson.se", lead: null });
    const human = await runCli(["companies", "search", "handel"], db);
    expect(human.stdout).toMatch(/5566778899\s+Webbia Handel AB/);
  });

  it("terminals with rules assign leads; add, edit, list, show, assign", async () => {
    const { db } = await register();
    await runJson(["terminals", "add", "E-handel Terminal"], db);
    await runJson(["terminals", "add", "Göteborg Terminal"], db);
    await runJson(["terminals", "add", "Riks Terminal", "--default"], db);
    await runJson(["terminals", "rules", "add", "e-handel", "--sni", "4791"], db);
    await runJson(["terminals", "rules", "add", "Göteborg Terminal", "--postcode", "400-449"], db);
    const rule = await runJson(["terminals", "rules", "add", "göteborg", "--town", "Göteborg", "--position", "1"], db);
    expect(rule).toMatchObject({ position: 1, terminal: "Göteborg Terminal", description: "town Göteborg" });
    expect((await runJson(["terminals", "rules"], db)).rules.map((r: { description: string }) => r.description)).toEqual([
      "town Göteborg",
      "SNI 4791*",
      "postcode 400 00-449 99",
    ]);

    expect(await runJson(["leads", "add", "5560160680", "--as", "anna"], db)).toMatchObject({
      id: 1,
      terminal: "Göteborg Terminal",
      assignedBy: "rule 3: town Göteborg",
    });
    expect(await runJson(["leads", "add", "5566778899", "--website", "https://shop.webbia.se"], db)).toMatchObject({
      terminal: "E-handel Terminal",
    });
    expect(await runJson(["leads", "add", "5560125790"], db)).toMatchObject({ terminal: "Riks Terminal", assignedBy: "default terminal" });
    const again = await runCli(["leads", "add", "5560160680"], db);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already lead 1/);

    expect(await runJson(["leads", "edit", "556016-0680", "--status", "qualified", "--notes", "ring VD", "--as", "anna"], db)).toEqual({
      id: 1,
      changed: ["status", "notes"],
    });
    await runJson(["leads", "edit", "3", "--unassign"], db);
    expect((await runJson(["leads", "list", "--unassigned"], db)).leads.map((l: { id: number }) => l.id)).toEqual([3]);
    expect((await runJson(["leads", "list", "--status", "qualified", "--terminal", "göteborg"], db)).count).toBe(1);
    expect(await runJson(["leads", "assign"], db)).toMatchObject({ assigned: 1, leads: [{ id: 3, terminal: "Riks Terminal" }] });
    expect((await runJson(["leads", "assign", "2", "--terminal", "Riks Terminal"], db)).leads[0]).toMatchObject({
      terminal: "Riks Terminal",
      changed: true,
    });
    const show = await runJson(["leads", "show", "1"], db);
    expect(show.lead).toMatchObject({ status: "qualified", terminal: "Göteborg Terminal", notes: "ring VD", source: "user:anna" });
    expect(show.events.map((e: { kind: string; actor: string }) => `${e.kind} ${e.actor}`)).toEqual([
      "created user:anna",
      "assigned user:anna",
      "status user:anna",
      "edited user:anna",
    ]);
    expect((await runJson(["terminals", "list"], db)).terminals.find((t: { name: string }) => t.name === "Riks Terminal").leads).toBe(2);
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const { dir, db } = await register();
    const count = () =>
      query<{ n: number }>(
        db,
        "select (select count(*) from lead) + (select count(*) from terminal) + (select count(*) from terminal_rule) + (select count(*) from company) + (select count(*) from company_import) as n",
      )[0]?.n;
    const n = count();
    const cases: Array<[string[], RegExp]> = [
      [["companies", "show", "556016-0681"], /invalid organisationsnummer "556016-0681": wrong check digit/],
      [["companies", "show", "5560000001"], /no company 5560000001 in the register/],
      [["companies", "search", "x", "--sni", "4x"], /invalid --sni "4x"/],
      [["companies", "search", "x", "--limit", "0"], /invalid --limit/],
      [["companies", "search", "x", "--legal-form", "bolag!"], /invalid --legal-form/],
      [["companies", "import", join(dir, "nope.csv")], /cannot read .*nope\.csv/],
      [["companies", "import", join(dir, "companies.csv"), "--encoding", "utf16"], /invalid --encoding "utf16"/],
      [["leads", "add", "1234"], /invalid organisationsnummer/],
      [["leads", "add", "5560160680", "--website", "ftp://x"], /invalid --website/],
      [["leads", "add", "5560160680", "--terminal", "Nowhere"], /no terminal "Nowhere"/],
      [["leads", "edit", "99", "--status", "new"], /no lead with id 99/],
      [["leads", "edit", "1", "--status", "hot"], /invalid lead status "hot"/],
      [["leads", "edit", "1"], /nothing to change/],
      [["leads", "list", "--analysed-since", "yesterday"], /invalid --analysed-since/],
      [["terminals", "rules", "add", "X", "--town", "A", "--sni", "47"], /exactly one of/],
      [["terminals", "rules", "add", "X", "--postcode", "999-100"], /invalid postcode range/],
      [["terminals", "rules", "add", "X", "--sni", "47"], /no terminal "X"/],
      [["terminals", "add", ""], /needs a name/],
      [["jobs", "add", "leads.search", "--payload", '{"max_results":5}'], /invalid payload for leads.search: max_results/],
      [["jobs", "add", "leads.analyze", "--payload", '{"analysis_protocol":"quick"}'], /give either lead_ids or selector/],
      [["jobs", "add", "leads.search_and_analyze", "--payload", '{"analysis_protocol":"deeper"}'], /analysis_protocol/],
      [["jobs", "add", "company.enrich", "--payload", '{"orgnrs":["5560160681"]}'], /orgnrs\.0: invalid organisationsnummer/],
      [["report", "leads", "--days", "0"], /invalid --days/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, db);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(oneLine(r.stderr), r.stderr).toBe(true);
    }
    writeFileSync(join(dir, "bad.csv"), "orgnr,name,colour\n5560160680,A,red\n");
    const unknownColumn = await runCli(["companies", "import", join(dir, "bad.csv")], db);
    expect(unknownColumn.code).toBe(2);
    expect(unknownColumn.stderr).toMatch(/unknown CSV column\(s\): "colour" \(known: orgnr, name/);
    writeFileSync(join(dir, "notes.txt"), "hello\nworld\n");
    expect((await runCli(["companies", "import", join(dir, "notes.txt")], db)).stderr).toMatch(
      /unrecognised file format \(first line: "hello"\)/,
    );
    expect(count()).toBe(n);
    const fresh = join(tempDir(), "never.db");
    for (const args of [
      ["companies", "import", join(dir, "bad.csv")],
      ["leads", "list", "--analysed-since", "yesterday"],
      ["leads", "list", "--not-analysed-since", "soon"],
      ["terminals", "add", " "],
    ]) {
      expect((await runCli(args, fresh)).code, args.join(" ")).toBe(2);
      expect(existsSync(fresh), args.join(" ")).toBe(false);
    }
  });
});

describe("companies enrich", () => {
  let fake: FakeBolagsverket;
  beforeAll(async () => {
    fake = await new FakeBolagsverket().start();
    fake.add({
      orgnr: "5560160680",
      name: "Åkesson Logistik AB",
      sni: [{ kod: "52290", klartext: "Övriga stödtjänster till transporter" }],
      town: "Göteborg",
      postcode: "41764",
      reklamsparr: true,
    });
  });
  afterAll(() => fake.stop());
  const env = () => ({
    BOLAGSVERKET_CLIENT_ID: fake.clientId,
    BOLAGSVERKET_CLIENT_SECRET: fake.clientSecret,
    LEADJOBS_BOLAGSVERKET_BASE_URL: fake.baseUrl,
    LEADJOBS_BOLAGSVERKET_TOKEN_URL: fake.tokenUrl,
  });

  it("updates companies from the API as a recorded job; unknown numbers exit 1", async () => {
    const { db } = await register();
    const r = await runJson(["companies", "enrich", "5560160680"], db, { env: env() });
    expect(r.results).toEqual([{ orgnr: "5560160680", outcome: "updated", name: "Åkesson Logistik AB", unavailable: [] }]);
    expect(await runJson(["companies", "show", "5560160680"], db)).toMatchObject({
      reklamsparr: true,
      postcode: "417 64",
      enrichedAt: expect.any(String),
    });
    const job = await runJson(["jobs", "show", String(r.jobId)], db);
    expect(job.job).toMatchObject({ type: "company.enrich", state: "completed" });
    expect(job.attempts[0].metrics).toEqual({ enriched: 1, created: 0, not_found: 0, partial: 0, failed: 0 });
    const unknown = await runCli(["companies", "enrich", "5560000001", "2021005489"], db, { env: env() });
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/5560000001\s+not found/);
  });

  it("an answer about another organisation, or one that is not JSON, is refused: failed, exit 1, nothing written", async () => {
    const { db } = await register();
    fake.add({ orgnr: "2021005489", name: "Helt Annat Bolag AB", town: "Luleå" });
    const before = await runJson(["companies", "show", "5566778899"], db);
    fake.answerAs.set("5566778899", "2021005489");
    try {
      const r = await runCli(["companies", "enrich", "5566778899", "--json"], db, { env: env() });
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).results).toEqual([
        {
          orgnr: "5566778899",
          outcome: "failed",
          name: null,
          unavailable: [],
          error: "the answer is about another organisation (2021005489)",
        },
      ]);
    } finally {
      fake.answerAs.clear();
    }
    fake.htmlAnswers = true;
    try {
      const r = await runCli(["companies", "enrich", "5566778899", "5560000001"], db, { env: env() });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/5566778899\s+failed\s+-\s+unreadable answer/);
      expect(r.stdout).toMatch(/5560000001\s+failed\s+-\s+unreadable answer/);
    } finally {
      fake.htmlAnswers = false;
    }
    expect(await runJson(["companies", "show", "5566778899"], db)).toEqual(before);
    expect((await runCli(["companies", "show", "2021005489"], db)).code).toBe(2);
  });

  it("without credentials: exit 69 and nothing written; a bad number: exit 2", async () => {
    const { db } = await register();
    const r = await runCli(["companies", "enrich", "5560160680"], db, {
      env: { BOLAGSVERKET_CLIENT_ID: undefined, BOLAGSVERKET_CLIENT_SECRET: undefined },
    });
    expect(r.code).toBe(69);
    expect(r.stderr).toMatch(/Bolagsverket credentials are not set: BOLAGSVERKET_CLIENT_ID and BOLAGSVERKET_CLIENT_SECRET/);
    expect((await runJson(["jobs", "list"], db)).jobs).toEqual([]);
    expect((await runCli(["companies", "enrich", "5560160681"], db, { env: env() })).code).toBe(2);
  });

  it("a token server that echoes the request body: no encoding of the secret is printed or stored", async () => {
    const { dir, db } = await register();
    const secret = "Wr0ng+S3cret/Value=&Säker";
    writeFileSync(join(dir, "config.json"), JSON.stringify({ notifyWebhook: "http://127.0.0.1:9/hook" }));
    fake.echoBody = true;
    try {
      const o = { env: { ...env(), BOLAGSVERKET_CLIENT_SECRET: secret, LEADJOBS_CONFIG: join(dir, "config.json") } };
      const r = await runCli(["companies", "enrich", "5560160680"], db, o);
      expect(r.code).not.toBe(0);
      const shown = await runCli(["jobs", "list", "--json"], db);
      const stored = ["", "-wal"]
        .map((s) => (existsSync(db + s) ? readFileSync(db + s).toString("latin1") + readFileSync(db + s).toString("utf8") : ""))
        .join("");
      const encodings = [
        secret,
        encodeURIComponent(secret),
        new URLSearchParams({ s: secret }).toString().slice(2),
        Buffer.from(secret).toString("base64"),
      ];
      for (const text of [r.stderr, r.stdout, shown.stdout, stored]) {
        for (const e of encodings) {
          expect(text).not.toContain(e);
          expect(text.toLowerCase()).not.toContain(e.toLowerCase());
        }
      }
      expect(r.stderr).toMatch(/\[redacted\]/);
    } finally {
      fake.echoBody = false;
    }
  });
});
