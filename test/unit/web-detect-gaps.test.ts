import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deliveryStripNames } from "../../src/core/web/delivery-strip.ts";
import { matchPage, resolveDetections } from "../../src/core/web/detect.ts";
import { extractFacts } from "../../src/core/web/facts.ts";
import { loadFingerprints } from "../../src/core/web/fingerprints/load.ts";

// Pages written for these tests (test/fixtures/web/pages): the forms real shop pages used that
// the detector missed, and pages that must not be taken for them.
const set = loadFingerprints();
const page = (name: string) => readFileSync(new URL(`../fixtures/web/pages/${name}`, import.meta.url), "utf8");
const found = (name: string, group?: string) =>
  resolveDetections(set, matchPage(set, extractFacts({ url: "https://shop.example.se/", html: page(name) })))
    .filter((d) => !group || d.group === group)
    .map((d) => d.name)
    .sort();

describe("carriers shown only as icons in a delivery strip", () => {
  it("an inline <svg id>, an image's alt and an image's file name, several carriers in one strip", () => {
    expect(found("carrier-strip.html", "carrier")).toEqual(["DHL", "PostNord", "UPS"]);
    const postnord = resolveDetections(set, matchPage(set, extractFacts({ url: "https://s.se/", html: page("carrier-strip.html") }))).find(
      (d) => d.name === "PostNord",
    );
    // Seen only as the strip's inline svg: the page has no PostNord image, link or text otherwise.
    expect(postnord?.evidence.map((e) => `${e.field} ${e.match}`)).toEqual(
      expect.arrayContaining(["images /postnord.svg", "images postnord"]),
    );
  });

  it("a Finnish strip (toimitustavat) with an svg named by id", () => {
    expect(found("carrier-strip-fi.html", "carrier")).toEqual(["Budbee"]);
  });

  it("reads only strips under a delivery heading: icons elsewhere, lookalike words and coupon codes are not carriers", () => {
    expect(found("carrier-negative.html", "carrier")).toEqual([]);
    expect(deliveryStripNames(page("carrier-negative.html")).sort()).toEqual(["Hent i butikk", "inline-svg/truck.svg", "truck"]);
    expect(deliveryStripNames(`<h4>Följ oss</h4><svg id="postnord"></svg>`)).toEqual([]);
    // A heading that only mentions delivery in a sentence is not a strip's heading.
    expect(deliveryStripNames(`<p>Fri frakt över 600 kr med oss</p><svg id="postnord"></svg>`)).toEqual([]);
  });

  it("names in an svg's class, aria-label or title; the strip ends where its list does", () => {
    const html = `<div class="footer-title">Frakt</div><ul><li><svg class="icon icon--bring" aria-label="Bring logo"><title>Bring</title></svg></li></ul>
      <ul><li><svg id="dhl"></svg></li></ul>`;
    expect(deliveryStripNames(html).sort()).toEqual(["Bring", "bring", "inline-svg/Bring.svg", "inline-svg/bring.svg"]);
  });
});

describe("a payment provider present only in the checkout configuration", () => {
  it("Adyen from a Drop-in configuration object (payment method ids, paymentMethodsResponse, client key)", () => {
    expect(found("adyen-config.html", "payment")).toEqual(["Adyen"]);
  });

  it("Adyen from a JSON configuration naming its checkoutshopper host and method ids", () => {
    expect(found("adyen-config-json.html", "payment")).toEqual(["Adyen"]);
  });

  it("not from a switched-off configuration, a coupon code, an article or a bare 'scheme' card type", () => {
    expect(found("payment-negative.html", "payment")).toEqual([]);
  });
});

describe("a headless Shopify storefront", () => {
  it("found from Shopify's CDN and the Storefront API markers, without Shopify.theme", () => {
    expect(page("shopify-headless.html")).not.toMatch(/Shopify\.theme/);
    expect(found("shopify-headless.html", "platform")).toEqual(["Shopify"]);
  });

  it("the Storefront API seen only in the browser's requests, beside Shopify's image CDN", () => {
    const html = `<img src="https://cdn.shopify.com/s/files/1/0723/1188/4321/products/a.jpg?v=1"><div id="root"></div>`;
    const facts = extractFacts({
      url: "https://shop.example.se/",
      html,
      browser: { js: new Map(), dom: new Map(), scriptUrls: [], xhrUrls: ["https://shop.example.se/api/2024-07/graphql.json"] },
    });
    expect(resolveDetections(set, matchPage(set, facts)).map((d) => d.name)).toContain("Shopify");
    // The image CDN alone is not enough: a blog may show an image hosted there.
    expect(
      resolveDetections(set, matchPage(set, extractFacts({ url: "https://blog.example.se/", html }))).map((d) => d.name),
    ).not.toContain("Shopify");
  });

  it("not from an article about Shopify, its image CDN, or lookalikes such as eu-central-1 (Centra)", () => {
    expect(found("shopify-negative.html", "platform")).toEqual([]);
  });
});
