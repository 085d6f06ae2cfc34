import { it } from "vitest";

// The postgres project's stand-in where no PostgreSQL server can be had (vitest.config.ts).
it("runs the integration and e2e suites on PostgreSQL", (ctx) => {
  const why = "PostgreSQL server missing (apt-get install -y postgresql, or set LEADJOBS_TEST_POSTGRES to a server's admin URL)";
  if (process.env.LEADJOBS_REQUIRE_SYSTEM_TOOLS === "1") throw new Error(why);
  ctx.skip(why);
});
