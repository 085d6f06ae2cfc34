import { describe, expect, it } from "vitest";
import { resolveDetections, matchPage } from "../../src/core/web/detect.ts";
import { extractFacts } from "../../src/core/web/facts.ts";
import { buildSet, compileCategories, compileTechnologies } from "../../src/core/web/fingerprints/compile.ts";
import { loadFingerprints } from "../../src/core/web/fingerprints/load.ts";
import { parsePattern, requiredLiterals } from "../../src/core/web/fingerprints/pattern.ts";
import { decodeEntities, inlineStyles, pageTitle, scanScripts, scanTags, visibleText } from "../../src/core/web/html.ts";

const set = loadFingerprints();
const detect = (html: string, extra: Partial<Parameters<typeof extractFacts>[0]> = {}) =>
  resolveDetections(set, matchPage(set, extractFacts({ url: "https://shop.example.se/", html, ...extra })));
const names = (html: string, extra = {}) =>
  detect(html, extra)
    .map((d) => d.name)
    .sort();

describe("html scanner", () => {
  it("decodes every named and numeric character reference, also without a semicolon", () => {
    expect(decodeEntities("Sm&oslash;rrebr&oslash;d&hellip; it&rsquo;s K&#228se &amp; br&ouml;d&nbsp;&#x1F600;")).toBe(
      "Smørrebrød… it’s Käse & bröd 😀",
    );
    expect(pageTitle("<title>Caf&eacute; &ndash; Tr&auml;dg&aring;rd &euro;</title>")).toBe("Café – Trädgård €");
    expect(scanTags('<a href="/s?a=1&copy=2&amp;b=3">x</a>')[0]?.attrs.get("href")).toBe("/s?a=1&copy=2&b=3");
  });

  it("tags, scripts and styles inside comments are not collected", () => {
    const html = `<!-- <script src="https://cdn.klarna.com/old.js"></script> <img src="/dhl.png"> <style>.x{}</style> -->
      <img src="/postnord.png"><script src="/app.js"></script><style>.y{}</style><!--[if IE]><link rel="stylesheet" href="/ie.css"><![endif]--><p>Hej &amp; v&auml;lkommen</p><!-- unterminated <meta name="generator" content="X">`;
    expect(scanTags(html).map((t) => t.attrs.get("src") ?? t.attrs.get("href") ?? t.name)).toEqual(["/postnord.png"]);
    expect(scanScripts(html).map((s) => s.src)).toEqual(["/app.js"]);
    expect(inlineStyles(html)).toBe(".y{}");
    expect(visibleText(html)).toBe("Hej & välkommen");
  });
});

describe("patterns", () => {
  it("reads confidence, version and case tags", () => {
    const p = parsePattern("jquery-([\\d.]+)\\.js\\;version:\\1\\;confidence:50");
    expect(p.confidence).toBe(50);
    expect(p.version).toBe("\\1");
    expect(p.regex.flags).toBe("i");
    expect(parsePattern("\\bUPS\\b\\;case:sensitive").regex.test("ups")).toBe(false);
  });

  it("finds the literals a regex cannot match without", () => {
    expect(requiredLiterals("//cdn\\.shopify\\.com/")).toEqual(["//cdn.shopify.com/"]);
    expect(requiredLiterals("\\bvar prestashop\\s*=")).toEqual(["var prestashop"]);
    expect(requiredLiterals("klarna|walley")).toEqual(["klarna", "walley"]);
    expect(requiredLiterals("ab?c")).toBeNull(); // no mandatory run of 3
    expect(requiredLiterals("colou?r-picker")).toEqual(["r-picker"]);
    expect(requiredLiterals("")).toBeNull();
    // A mandatory group's alternatives count when they beat the plain runs.
    expect(requiredLiterals("<a[^>]+href=[\"']https?://(?:[\\w-]+\\.)*(?:postnord\\.(?:se|com))\\b")).toEqual(["postnord."]);
    expect(requiredLiterals("\\b(?:Nets Easy|Nexi Checkout)\\b")).toEqual(["nets easy", "nexi checkout"]);
    expect(requiredLiterals("(?:^|[/_-])klarna[\\w-]*\\.(?:svg|png)$")).toEqual(["klarna"]);
    expect(requiredLiterals("x(?=abc)yz")).toBeNull(); // lookaheads are not required text
    // Character escapes are the character; a back-reference's or \c's own characters are not text.
    expect(requiredLiterals("\\u00C5kesson Handel")).toEqual(["åkesson handel"]);
    expect(requiredLiterals("caf\\xe9 butik")).toEqual(["café butik"]);
    expect(requiredLiterals("(ab)\\12bcd")).toEqual(["bcd"]);
    expect(requiredLiterals("\\cJabc")).toEqual(["abc"]);
  });

  it("a pattern written with \\u escapes matches on a large page (the literal pre-check must not rule it out)", () => {
    const { techs } = compileTechnologies(
      { Åkesson: { cats: [1], text: ["\\u00c5kesson Handel"] } },
      compileCategories({ 1: { name: "CMS" } }),
      "test",
    );
    const own = buildSet([{ dir: "test", techs, skipped: 0 }]);
    const html = `<p>${"Välkommen till butiken. ".repeat(300)}Drivs av Åkesson Handel.</p>`;
    expect(resolveDetections(own, matchPage(own, extractFacts({ url: "https://shop.example.se/", html }))).map((d) => d.name)).toEqual([
      "Åkesson",
    ]);
  });
});

describe("detection", () => {
  it("finds a platform from several kinds of evidence, with the version", () => {
    const found = detect(`<html><head><meta name="generator" content="WordPress 6.5.2"><meta name="generator" content="WooCommerce 8.9.1">
      <link rel='stylesheet' href='/wp-content/plugins/woocommerce/assets/css/woocommerce.css?ver=8.9.1'></head>
      <body class="home woocommerce-no-js"><script>var woocommerce_params = {"ajax_url":"/wp-admin/admin-ajax.php"};</script></body></html>`);
    const woo = found.find((d) => d.name === "WooCommerce");
    expect(woo).toMatchObject({ group: "platform", confidence: 100, version: "8.9.1" });
    expect(woo?.evidence.map((e) => e.field)).toEqual(expect.arrayContaining(["meta", "scripts"]));
    expect(found.find((d) => d.name === "WordPress")?.version).toBe("6.5.2");
  });

  it("WooCommerce needs WordPress first (requires)", () => {
    expect(names(`<script>var wc_add_to_cart_params = {};</script>`)).toEqual([]);
  });

  it("a theme's .woocommerce CSS on a WordPress blog is not WooCommerce", () => {
    const html = `<link rel="stylesheet" href="/wp-content/themes/news/style.css"><style>.woocommerce .price{color:red}.woocommerce-page a{}</style><p>News</p>`;
    expect(names(html)).toEqual(["WordPress"]);
  });

  it("implies adds a technology with the implying confidence", () => {
    const found = detect(`<div id="__next"></div><script src="/_next/static/chunks/main.js"></script>`);
    expect(found.find((d) => d.name === "React")?.evidence[0]).toMatchObject({ field: "implies", match: "Next.js" });
  });

  it("a technology implied before its requirements are met keeps its own evidence and version once they are", () => {
    // Shop comes first, so the first pass sees it before Base; Plugin implies it meanwhile.
    const categories = compileCategories({ 6: { name: "Ecommerce", group: "platform" }, 1: { name: "CMS" } });
    const { techs } = compileTechnologies(
      {
        Shop: { cats: [6], html: ["shop-v(\\d+)\\;version:\\1"], requires: "Base" },
        Base: { cats: [1], html: ["base-marker"] },
        Plugin: { cats: [1], html: ["plugin-marker"], implies: "Shop\\;confidence:40" },
      },
      categories,
      "test",
    );
    const own = buildSet([{ dir: "test", techs, skipped: 0 }]);
    const found = resolveDetections(
      own,
      matchPage(own, extractFacts({ url: "https://shop.example.se/", html: "<p>base-marker shop-v7 plugin-marker</p>" })),
    );
    expect(found.find((d) => d.name === "Shop")).toMatchObject({
      confidence: 100,
      version: "7",
      evidence: [{ field: "html" }, { field: "implies" }],
    });
  });

  it("uses headers and cookies", () => {
    expect(
      names("<p>hi</p>", {
        headers: [
          ["Server", "nginx/1.25.3"],
          ["X-ShopId", "123"],
        ],
        cookies: [["_shopify_y", "x"]],
      }),
    ).toEqual(["Nginx", "Shopify"]);
  });

  it("word traps: Walleye, unshift, klarnamenpflicht, a person called Ingrid, ups, early-bird offers", () => {
    const html = `<p>Fiske efter walleye i sjön. Ingrid Svensson skriver om arr.unshift(). Die Klarnamenpflicht gilt.
      Ups, något gick fel. Early bird-pris på konferensen! Bring your own bag. The best transport options are groups.</p>
      <script>list.unshift(1)</script><img src="/img/groups.png" alt="groups">`;
    expect(names(html)).toEqual([]);
  });

  it("image names that only begin like a brand: upsell banners, raspberries, Sveavägen, early-bird sales", () => {
    const images = [
      "/files/upsell-banner.png",
      "/img/upstairs.jpg",
      "/img/bringebaer-sylt.jpg",
      "/img/bringing-joy.png",
      "/img/sveavagen-butik.jpg",
      "/img/swishy-kjol.jpg",
      "/img/nexium.png",
      "/img/early-bird-rea.jpg",
    ];
    expect(names(`<p>Välkommen</p>${images.map((src) => `<img src="${src}">`).join("")}`)).toEqual([]);
  });

  it("logos found by their file names alone", () => {
    const images = [
      "/logos/ups-access-point.svg",
      "/logos/bring.svg",
      "/img/svea-checkout.png",
      "/img/swish_logo.svg",
      "/img/nexi.png",
      "/img/earlybird-logo.svg",
    ];
    expect(names(`<p>Välkommen</p>${images.map((src) => `<img src="${src}">`).join("")}`)).toEqual([
      "Bring",
      "Early Bird",
      "Nets Easy",
      "Svea",
      "Swish",
      "UPS",
    ]);
  });

  it("carriers from logos, alt texts and shipping words", () => {
    const html = `<footer><h3>Vi skickar med</h3><img src="/logos/postnord-logo.svg" alt="PostNord"><img src="/logos/budbee.png" alt="Budbee">
      <img src="/logos/ups.svg" alt="UPS"></footer><p>Leveransen skickas med Bring eller Early Bird till brevlådan.</p>`;
    expect(names(html)).toEqual(["Bring", "Budbee", "Early Bird", "PostNord", "UPS"]);
  });

  it("a bare mention of Klarna in an article is not Klarna on the site", () => {
    expect(
      names("<article><p>Klarna reported results today. Read more at <a href='https://www.klarna.com/'>klarna.com</a>.</p></article>"),
    ).toEqual([]);
  });
});
