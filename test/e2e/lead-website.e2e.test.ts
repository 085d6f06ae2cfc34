import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withCheckDigit } from "../../src/core/domain/orgnr.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

const NOW = "2026-11-02T08:00:00.000Z";

/** A web shop on 127.0.0.1 whose checkout switches payment provider when told to. */
async function shop(): Promise<{ url: string; switchTo(p: "klarna" | "walley"): void; close(): Promise<void> }> {
  let payment: "klarna" | "walley" = "klarna";
  const server: Server = createServer((req, res) => {
    const script =
      payment === "klarna" ? "https://x.klarnacdn.net/kp/lib/v1/api.js" : "https://checkout.walleypay.com/walley-checkout-loader.js";
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      req.url === "/kassa"
        ? `<!DOCTYPE html><html><head><title>Kassa</title><script src="${script}"></script></head><body><h1>Kassa</h1><p>Vi skickar med PostNord och Budbee.</p></body></html>`
        : `<!DOCTYPE html><html><head><title>Butiken</title><meta name="generator" content="WooCommerce 9.3.3">
         <link rel="stylesheet" href="/wp-content/plugins/woocommerce/assets/css/woocommerce.css?ver=9.3.3"></head>
         <body class="woocommerce"><h1>Butiken</h1><a href="/kassa">Till kassan</a><p>${"Välkommen. ".repeat(30)}</p></body></html>`,
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    switchTo: (p) => (payment = p),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("a lead's website analysis feeds leads show and the lead analysis", () => {
  it("leads show says what the site runs and what changed; the deep analysis uses it", async () => {
    const site = await shop();
    try {
      const db = join(tempDir(), "lw.db");
      await createDb(db);
      const orgnr = withCheckDigit("556600001");
      writeSync(
        db,
        "insert into company (orgnr, name, legal_form, town, sni_codes, created_at, updated_at) values (?, 'Butiken AB', 'AB', 'Borås', '[\"47910\"]', ?, ?)",
        orgnr,
        NOW,
        NOW,
      );
      await runJson(["leads", "add", orgnr, "--website", site.url], db);
      const batch = ["run-batch", "--type", "full_analysis", "--lead", "1", "--allow-private", "--delay", "0ms", "--browser", "never"];
      expect((await runCli(batch, db)).code).toBe(0);
      site.switchTo("walley");
      expect((await runCli(batch, db)).code).toBe(0);

      const show = await runJson(["leads", "show", "1"], db);
      expect(show.website).toMatchObject({
        platform: "WooCommerce",
        checkout: expect.arrayContaining(["Walley"]),
        carriers: expect.arrayContaining(["PostNord", "Budbee"]),
      });
      expect(show.websiteChanges.map((c: { text: string }) => c.text)).toEqual([
        expect.stringMatching(/^payment: switched from Klarna to Walley on \d{4}-\d{2}-\d{2}$/),
      ]);
      const text = await runCli(["leads", "show", "1"], db);
      expect(text.stdout).toMatch(/platform\s+WooCommerce/);
      expect(text.stdout).toMatch(/website changes\n\s+payment: switched from Klarna to Walley/);

      expect((await runCli(["leads", "analyze", "1", "--protocol", "deep", "--provider", "rules"], db)).code).toBe(0);
      const analysed = await runJson(["leads", "show", "1"], db);
      expect(analysed.analyses[0].reasons.join("; ")).toMatch(/web shop on WooCommerce.*ships with .*PostNord/);
    } finally {
      await site.close();
    }
  });
});
