import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { writeSync } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

async function brandDb() {
  const dir = tempDir();
  const db = join(dir, "brands.db");
  await runJson(
    ["brands", "add", "Budbee", "--customer", "Budbee AB", "--alias", "Budbee AB", "--domain", "https://www.budbee.com/se"],
    db,
  );
  await runJson(["brands", "competitors", "budbee", "--add", "Bring", "--domain", "bring.se"], db);
  await runJson(["brands", "competitors", "budbee", "--add", "Bringo"], db);
  await runJson(["brands", "competitors", "budbee", "--add", "PostNord", "--alias", "Post Nord", "--domain", "postnord.se"], db);
  return { dir, db };
}

function storeAnswers(db: string, answers: Array<[provider: string, text: string, askedAt?: string]>): void {
  for (const [provider, text, askedAt] of answers)
    writeSync(
      db,
      "insert into answer (brand_id, query_text, provider, model, asked_at, text) values (1, 'q', ?, 'm', ?, ?)",
      provider,
      askedAt ?? new Date(Date.now() - 86_400_000).toISOString(),
      text,
    );
}

describe("brands from the shell", () => {
  it("adds brands, competitors, topics and queries (from a file), and lists them", async () => {
    const { dir, db } = await brandDb();
    const file = join(dir, "queries.txt");
    writeFileSync(
      file,
      "Vilket paketbud är bäst i Stockholm?\n\nBest last-mile carrier in Sweden?\nVilket paketbud är bäst i Stockholm?\n",
    );
    expect(await runJson(["brands", "queries", "add", "Budbee", "--from", file, "--new-topic", "hemleverans"], db)).toEqual({
      brand: "Budbee",
      added: 2,
      existing: 0,
    });
    expect((await runJson(["brands", "queries", "add", "Budbee", "Billigaste frakten?"], db)).added).toBe(1);
    await runCli(["brands", "queries", "deactivate", "Budbee", "2"], db);
    expect((await runJson(["brands", "queries", "list", "Budbee"], db)).queries.map((q: { id: number }) => q.id)).toEqual([1, 3]);
    expect((await runJson(["brands", "queries", "list", "Budbee", "--all"], db)).queries).toHaveLength(3);
    const show = await runJson(["brands", "show", "budbee"], db);
    expect(show).toMatchObject({ name: "Budbee", customer: "Budbee AB", domains: ["budbee.com"], activeQueries: 2 });
    expect(show.competitors.map((c: { name: string }) => c.name)).toEqual(["Bring", "Bringo", "PostNord"]);
    // The same competitor in another case is updated, not added twice (it would split its mentions),
    // and what it had stays: the domain given joins its domains, its alias is kept.
    const again = await runJson(["brands", "competitors", "Budbee", "--add", "POSTNORD", "--domain", "postnord.com"], db);
    expect(again.competitors.filter((c: { name: string }) => c.name.toLowerCase() === "postnord")).toEqual([
      { id: 3, name: "PostNord", aliases: ["Post Nord"], domains: ["postnord.se", "postnord.com"] },
    ]);
    await runJson(["brands", "competitors", "Budbee", "--add", "Åhléns"], db);
    await runJson(["brands", "competitors", "Budbee", "--add", "åhléns", "--alias", "Ahlens"], db);
    await runJson(["brands", "competitors", "Budbee", "--remove", "ÅHLÉNS"], db);
    expect((await runJson(["brands", "competitors", "Budbee"], db)).competitors).toHaveLength(3);
    // Brand names too, with Swedish letters.
    await runJson(["brands", "add", "Åhléns", "--customer", "Åhléns AB"], db);
    expect((await runJson(["brands", "show", "åhléns"], db)).name).toBe("Åhléns");
    expect((await runCli(["brands", "add", "ÅHLÉNS", "--customer", "X"], db)).stderr).toMatch(/brand "ÅHLÉNS" exists already/);
    expect(show.topics).toEqual([{ id: 1, name: "hemleverans", queries: 2 }]);
    // A misspelled --topic creates nothing: it names the topic it probably meant.
    const typo = await runCli(["brands", "queries", "add", "Budbee", "--topic", "hemleveranz", "Vem levererar på kvällen?"], db);
    expect([typo.code, typo.stderr]).toEqual([
      2,
      'leadjobs: the brand has no topic "hemleveranz" (did you mean "hemleverans"?) (create it with --new-topic NAME)\n',
    ]);
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const { db } = await brandDb();
    const cases: Array<[string[], RegExp]> = [
      [["brands", "add", "Budbee", "--customer", "X"], /brand "Budbee" exists already/],
      [["brands", "add", "Zeta", "--customer", "X", "--domain", "not a domain"], /"not a domain" is not a web domain/],
      [["brands", "show", "Nope"], /no brand "Nope"/],
      [["brands", "queries", "activate", "Budbee", "99"], /brand has no query 99/],
      [["brands", "competitors", "Budbee", "--remove", "DHL"], /no competitor "DHL"/],
      [
        ["brands", "queries", "add", "Budbee", "--topic", "hemleveranss", "Vilket bud?"],
        /the brand has no topic "hemleveranss" \(create it with --new-topic NAME\)/,
      ],
      [
        ["brands", "competitors", "Budbee", "--add", "budbee"],
        /"budbee" is the brand itself \(Budbee\): a brand cannot be its own competitor/,
      ],
      [
        ["brands", "competitors", "Budbee", "--add", "PostNord", "--alias", "BUDBEE"],
        /"PostNord"'s alias "BUDBEE" is the brand itself \(Budbee\): a brand cannot be its own competitor/,
      ],
      [["brands", "queries", "add", "Budbee"], /no queries given/],
      [["report", "brands", "--since", "a while"], /invalid --since/],
      [["brands", "add", "Zeta", "--customer", " "], /a brand needs a customer/],
      [["brands", "competitors", "Budbee", "--add", "DHL", "--domain", "dhl"], /"dhl" is not a web domain/],
      [["brands", "topics", "Budbee", "--add", ""], /a topic needs a name/],
      [["brands", "queries", "add", "Budbee", "--topic", "", "Vilket bud?"], /--topic needs a name/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    // Input that is wrong in itself is refused before a database is created.
    const fresh = join(tempDir(), "never.db");
    for (const args of [cases[1]![0], ...cases.slice(-4).map(([a]) => a)]) {
      expect((await runCli(args, fresh)).code, args.join(" ")).toBe(2);
      expect(existsSync(fresh), args.join(" ")).toBe(false);
    }
    expect((await runJson(["brands", "list"], db)).brands).toHaveLength(1);
    expect((await runJson(["brands", "topics", "Budbee"], db)).topics).toEqual([]);
  });

  it("scores stored answers: positions, prose-only mentions, Bring vs Bringo, sentiment, citations; a rerun changes nothing", async () => {
    const { db } = await brandDb();
    storeAnswers(db, [
      ["openai", "1. Budbee – snabb och pålitlig\n2. PostNord\n3. Bring\n\nKälla: https://www.budbee.com/leverans"],
      ["openai", "1. PostNord\n2. Bringo\n3. Budbee är tyvärr ofta försenad"],
      ["openai", "Most shops use PostNord; Bringo is for groceries."],
      ["ollama", "Många väljer Post Nord, men Budbee AB växer snabbt. Se postnord.se."],
    ]);
    const first = await runJson(["brands", "score", "Budbee"], db);
    expect(first).toMatchObject({ outcome: "completed", answers_scored: 4, brand_mentioned: 3, citations: 2, own_citations: 1 });
    const again = await runJson(["brands", "score", "Budbee"], db);
    expect(again.answers_scored).toBe(0);

    const report = await runJson(["report", "brands", "--brand", "Budbee"], db);
    const openai = report.reports.find((r: { provider: string }) => r.provider === "openai");
    expect(openai.answers).toBe(3);
    expect(openai.brandFigures).toMatchObject({ name: "Budbee", mentionShare: 2 / 3, avgPosition: 2, citationShare: 1 / 3 });
    expect(openai.brandFigures.avgSentiment).toBeGreaterThan(-0.5);
    const bring = openai.competitors.find((c: { name: string }) => c.name === "Bring");
    const bringo = openai.competitors.find((c: { name: string }) => c.name === "Bringo");
    expect(bring).toMatchObject({ mentionShare: 1 / 3, avgPosition: 3 });
    expect(bringo).toMatchObject({ mentionShare: 2 / 3, avgPosition: 2 });
    const ollama = report.reports.find((r: { provider: string }) => r.provider === "ollama");
    expect(ollama.brandFigures).toMatchObject({ mentionShare: 1, avgPosition: 2 });
    expect(ollama.competitors.find((c: { name: string }) => c.name === "PostNord")).toMatchObject({ avgPosition: 1, citationShare: 1 });

    const csv = await runCli(["report", "brands", "--csv"], db);
    expect(csv.stdout.split("\n")[0]).toBe("brand,provider,subject,answers,mention_share,avg_position,avg_sentiment,citation_share");
    expect(csv.stdout).toMatch(/^Budbee,ollama,Budbee,1,1\.0000,2,/m);
    const table = await runCli(["report", "brands"], db);
    expect(table.stdout).toMatch(/Budbee in openai answers \(3\)\s+mentioned per week: /);

    // A removed competitor's citations are no one's: they do not become the brand's.
    await runJson(["brands", "competitors", "Budbee", "--remove", "PostNord"], db);
    const after = await runJson(["report", "brands", "--brand", "Budbee"], db);
    expect(after.reports.find((r: { provider: string }) => r.provider === "ollama").brandFigures.citationShare).toBe(0);
  });
});
