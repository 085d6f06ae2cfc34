import type { Command } from "commander";
import { collect, globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

/** brands: who we watch in AI answers, what we ask, and scoring them. */
export function registerBrands(program: Command, setExit: SetExit): void {
  const brands = program
    .command("brands")
    .description("brand visibility in AI answers: brands, competitors, topics, queries, collecting answers, scoring");
  brands
    .command("add")
    .description("add a brand to watch")
    .argument("<name>", "brand name")
    .requiredOption("--customer <name>", "the customer it belongs to (created if new)")
    .option("--alias <name>", "another name it goes by (repeatable)", collect)
    .option("--domain <domain>", "its own web domain, e.g. budbee.com (repeatable)", collect)
    .option("--json", "print JSON")
    .action(async (name: string, opts, cmd: Command) => {
      const { brandsAdd } = await import("./add.ts");
      setExit(await brandsAdd(globals(cmd), name, opts));
    });
  pagingOptions(brands.command("list"), "brands", null)
    .description("brands with their competitors, active queries and answers")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { brandsList } = await import("./list.ts");
      setExit(await brandsList(globals(cmd), opts));
    });
  brands
    .command("show")
    .description("one brand: competitors, topics, queries, answers")
    .argument("<brand>", "brand name or id")
    .option("--json", "print JSON")
    .action(async (brand: string, opts, cmd: Command) => {
      const { brandsShow } = await import("./show.ts");
      setExit(await brandsShow(globals(cmd), brand, opts));
    });
  brands
    .command("edit")
    .description("change a brand's name, customer, aliases or domains")
    .argument("<brand>", "brand name or id")
    .option("--name <name>", "rename it")
    .option("--customer <name>", "move it to this customer (created if new)")
    .option("--alias <name>", "add another name it goes by (repeatable)", collect)
    .option("--remove-alias <name>", "drop an alias (repeatable)", collect)
    .option("--domain <domain>", "add one of its own web domains (repeatable)", collect)
    .option("--remove-domain <domain>", "drop a domain (repeatable)", collect)
    .option("--as <user>", "who changes it (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (brand: string, opts, cmd: Command) => {
      const { brandsEdit } = await import("./edit.ts");
      setExit(await brandsEdit(globals(cmd), brand, opts));
    });
  brands
    .command("rm")
    .description("remove a brand with its competitors, topics and queries; one with answers needs --force (they go too)")
    .argument("<brand>", "brand name or id")
    .option("--force", "also remove its answers and their scores")
    .option("--as <user>", "who removes it (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (brand: string, opts, cmd: Command) => {
      const { brandsRm } = await import("./edit.ts");
      setExit(await brandsRm(globals(cmd), brand, opts));
    });
  brands
    .command("competitors")
    .description("list a brand's competitors, or add, edit or remove one")
    .argument("<brand>", "brand name or id")
    .option("--add <name>", "add a competitor (one it has already: --alias and --domain join the ones it has)")
    .option("--edit <name>", "change an existing competitor's aliases and domains")
    .option("--alias <name>", "with --add/--edit: another name (repeatable)", collect)
    .option("--domain <domain>", "with --add/--edit: its web domain (repeatable)", collect)
    .option("--remove-alias <name>", "with --add/--edit: drop this alias (repeatable)", collect)
    .option("--remove-domain <domain>", "with --add/--edit: drop this domain (repeatable)", collect)
    .option("--remove <name>", "remove a competitor (and its mentions in scored answers)")
    .option("--json", "print JSON")
    .action(async (brand: string, opts, cmd: Command) => {
      const { brandsCompetitors } = await import("./competitors.ts");
      setExit(await brandsCompetitors(globals(cmd), brand, opts));
    });
  brands
    .command("topics")
    .description("list a brand's topics, or add/remove one")
    .argument("<brand>", "brand name or id")
    .option("--add <name>", "add a topic")
    .option("--remove <name>", "remove a topic (its queries stay, without topic)")
    .option("--json", "print JSON")
    .action(async (brand: string, opts, cmd: Command) => {
      const { brandsTopics } = await import("./topics.ts");
      setExit(await brandsTopics(globals(cmd), brand, opts));
    });
  const queries = brands.command("queries").description("the questions buyers ask, put to the AI assistants");
  queries
    .command("add")
    .description("add queries (arguments, or one per line from a file)")
    .argument("<brand>", "brand name or id")
    .argument("[texts...]", "query texts")
    .option("--from <file>", "one query per line; - for stdin")
    .option("--topic <name>", "file them under this existing topic")
    .option("--new-topic <name>", "file them under this topic, created if new")
    .option("--json", "print JSON")
    .action(async (brand: string, texts: string[], opts, cmd: Command) => {
      const { brandsQueriesAdd } = await import("./queries.ts");
      setExit(await brandsQueriesAdd(globals(cmd), brand, texts, opts));
    });
  pagingOptions(queries.command("list"), "queries", null, "every query, inactive ones too, no limit")
    .description("a brand's active queries (--inactive: the proposals waiting for activate)")
    .argument("<brand>", "brand name or id")
    .option("--topic <name>", "only this topic")
    .option("--inactive", "only inactive queries")
    .option("--json", "print JSON")
    .action(async (brand: string, opts, cmd: Command) => {
      const { brandsQueriesList } = await import("./queries.ts");
      setExit(await brandsQueriesList(globals(cmd), brand, opts));
    });
  queries
    .command("generate")
    .description("propose queries per topic and store them inactive until `activate` (re-running adds no duplicates)")
    .argument("<brand>", "brand name or id")
    .option("--topic <name>", "only this topic (default: every topic of the brand)")
    .option("--provider <name>", "rules (offline Swedish and English templates, default) or provider[:model], asked for JSON")
    .option("--json", "print JSON")
    .action(async (brand: string, opts, cmd: Command) => {
      const { brandsQueriesGenerate } = await import("./generate.ts");
      setExit(await brandsQueriesGenerate(globals(cmd), brand, opts));
    });
  for (const [verb, active] of [
    ["activate", true],
    ["deactivate", false],
  ] as const) {
    queries
      .command(verb)
      .description(`${verb} queries by id`)
      .argument("<brand>", "brand name or id")
      .argument("<ids...>", "query ids")
      .action(async (brand: string, ids: string[], _opts, cmd: Command) => {
        const { brandsQueriesActivate } = await import("./queries.ts");
        setExit(await brandsQueriesActivate(globals(cmd), brand, ids, active));
      });
  }
  brands
    .command("collect")
    .description(
      "ask the brand's active queries through AI assistants now and store the answers (job type brand.collect; with --score brand.collect_and_score)",
    )
    .argument("<brand>", "brand name or id")
    .option("--collectors <list>", "providers to ask, comma-separated: provider or provider:model (default: the brandCollectors setting)")
    .option("--parallel <n>", "questions in flight at once per collector (default 3)")
    .option("--query-limit <n>", "ask at most this many queries, least recently asked first")
    .option("--max-cost <usd>", "stop asking before the API spend could exceed this")
    .option("--score", "then score the brand's unscored answers, as one run")
    .option("--sentiment-provider <name>", "with --score: lexicon (default: the brandSentimentProvider setting) or provider[:model]")
    .option("--position-limit <n>", "with --score: answers to score (default 1000)")
    .option("--sentiment-limit <n>", "with --score: of those, answers to score for sentiment (default: all)")
    .option("--json", "print JSON")
    .action(async (brand: string, opts, cmd: Command) => {
      const { brandsCollect } = await import("./collect.ts");
      setExit(await brandsCollect(globals(cmd), brand, opts));
    });
  brands
    .command("score")
    .description("score the brand's stored answers now (job type brand.score)")
    .argument("<brand>", "brand name or id")
    .option("--position-limit <n>", "answers to score (default 1000)")
    .option("--sentiment-limit <n>", "of those, answers to score for sentiment (default: all)")
    .option(
      "--sentiment-provider <name>",
      "lexicon (default: the brandSentimentProvider setting) or provider[:model], asked for JSON sentiment",
    )
    .option("--json", "print JSON")
    .action(async (brand: string, opts, cmd: Command) => {
      const { brandsScore } = await import("./score.ts");
      setExit(await brandsScore(globals(cmd), brand, opts));
    });
}
