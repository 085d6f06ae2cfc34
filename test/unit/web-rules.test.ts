import { homedir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { isPrivateAddress } from "../../src/core/integrations/web/address-guard.ts";
import { blockedReason } from "../../src/core/web/blocked.ts";
import { describeChange, diffSnapshots } from "../../src/core/web/changes.ts";
import type { Detection } from "../../src/core/web/detect.ts";
import { extractFacts } from "../../src/core/web/facts.ts";
import { candidatePages } from "../../src/core/web/site-links.ts";
import { localSiteUrl, normaliseSiteUrl, siteKey } from "../../src/core/web/site-url.ts";

describe("private addresses", () => {
  it.each([
    ["127.0.0.1", true],
    ["10.1.2.3", true],
    ["172.20.0.1", true],
    ["192.168.1.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["0.0.0.0", true],
    ["::1", true],
    ["fe80::1", true],
    ["fd00:ec2::254", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["93.184.216.34", false],
    ["2a00:1450:4001:82a::200e", false],
    ["8.8.8.8", false],
    // IPv4 inside IPv6, as a URL writes it (hex): NAT64, IPv4-compatible and -translated forms.
    ["64:ff9b::7f00:1", true],
    ["64:ff9b::a9fe:a9fe", true],
    ["64:ff9b::10.0.0.1", true],
    ["64:ff9b::808:808", false],
    ["::7f00:1", true],
    ["::ffff:0:a00:1", true],
    ["::ffff:808:808", false],
    ["64:ff9b:1::808:808", true],
    ["fe80::1%eth0", true],
    // 6to4 and Teredo tunnels are refused whatever they wrap (a public or a private IPv4 address);
    // an ISATAP interface id is judged by the IPv4 address it carries.
    ["2002:7f00:1::", true],
    ["2002:c0a8:101::1", true],
    ["2002:808:808::1", true],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", true],
    ["2001::1", true],
    ["2001:0:7f00:1::", true],
    ["2001:2::1", true],
    ["2001:4860:4860::8888", false],
    ["2001:db9::1", false],
    ["2a00:1450::5efe:7f00:1", true],
    ["2a00:1450::200:5efe:a00:1", true],
    ["2a00:1450::5efe:808:808", false],
    ["2a00:1450:4001:82a::5efe:10.0.0.1", true],
  ])("%s → %s", (ip, blocked) => expect(isPrivateAddress(ip)).toBe(blocked));
});

describe("blocked pages", () => {
  it("429, 403 and challenge pages are blocked; a shop with a reCAPTCHA contact form is not", () => {
    expect(blockedReason(429, [["retry-after", "90"]], "", 0)).toEqual({ reason: "rate limited (HTTP 429)", retryAfterMs: 90_000 });
    expect(blockedReason(403, [], "<p>Forbidden</p>", 9)?.reason).toBe("forbidden (HTTP 403)");
    expect(blockedReason(200, [], "<title>Just a moment...</title>", 20)?.reason).toBe("bot challenge or captcha page");
    const shop = `<title>Butiken</title><form><div class="g-recaptcha" data-sitekey="x"></div></form>${"<p>produkt</p>".repeat(10)}`;
    expect(blockedReason(200, [], shop, 5000)).toBeNull();
  });
});

const det = (name: string, group: Detection["group"], version: string | null = null): Detection => ({
  name,
  group,
  categories: [],
  confidence: 100,
  version,
  evidence: [],
});

describe("changes between analyses", () => {
  it("a payment switch, an added carrier, a platform upgrade", () => {
    const older = {
      at: "2026-08-01T10:00:00.000Z",
      analysis: "full_analysis" as const,
      detections: [det("Magento", "platform", "2.4.5"), det("Klarna", "payment"), det("PostNord", "carrier")],
    };
    const newer = {
      at: "2026-11-01T23:30:00.000Z",
      analysis: "full_analysis" as const,
      detections: [det("Magento", "platform", "2.4.6"), det("Walley", "payment"), det("PostNord", "carrier"), det("Budbee", "carrier")],
    };
    const text = diffSnapshots(older, newer, ["platform", "payment", "carrier"]).map(describeChange);
    // 23:30 UTC on 1 November is 2 November in Stockholm.
    expect(text).toEqual([
      "platform: Magento 2.4.5 → 2.4.6 on 2026-11-02",
      "payment: switched from Klarna to Walley on 2026-11-02",
      "carriers: added Budbee on 2026-11-02",
    ]);
  });
});

describe("pages to visit for checkout analyses", () => {
  it("the site's own links first (checkout before terms), guesses only for kinds without links", () => {
    const facts = extractFacts({
      url: "https://www.shop.se/",
      html: `<a href="/varukorg">Varukorg</a><a href="/info/leveransinformation">Leveransinformation</a>
      <a href="https://other.se/kassa">elsewhere</a><a href="/om-oss">Om oss</a><a href="https://shop.se/sida/villkor">Köpvillkor</a>`,
    });
    expect(candidatePages(facts, 10).map((c) => `${c.kind} ${c.linked ? "link" : "guess"} ${new URL(c.url).pathname}`)).toEqual([
      "checkout link /varukorg",
      "terms link /info/leveransinformation",
      "terms link /sida/villkor",
    ]);
    const bare = extractFacts({ url: "https://shop.se/", html: "<p>hej</p>" });
    expect(candidatePages(bare, 3).map((c) => new URL(c.url).pathname)).toEqual(["/kassa", "/checkout", "/cart"]);
  });
});

describe("site addresses", () => {
  it("adds https, keeps paths, refuses what is not a web address", () => {
    expect(normaliseSiteUrl("butiken.se")).toBe("https://butiken.se/");
    expect(normaliseSiteUrl(" http://www.Shop.se/sv ")).toBe("http://www.shop.se/sv");
    expect(() => normaliseSiteUrl("ftp://shop.se")).toThrow(/not a web address/);
    expect(() => normaliseSiteUrl("hello")).toThrow(/not a web address/);
    expect(siteKey("https://www.shop.se:8443/x")).toBe("shop.se:8443");
  });

  it("a saved-page directory has one history key, with or without its trailing slash", () => {
    expect(siteKey("file:///srv/saved/shop/")).toBe("file:/srv/saved/shop");
    expect(siteKey("file:///srv/saved/shop")).toBe("file:/srv/saved/shop");
    expect(siteKey("file:///")).toBe("file:/");
  });

  it("local paths on the command line become file:// URLs (~ is the home directory)", () => {
    expect(localSiteUrl("~/saved/shop")).toBe(pathToFileURL(join(homedir(), "saved/shop")).href);
    expect(localSiteUrl("/srv/saved/shop/")).toBe("file:///srv/saved/shop");
    expect(localSiteUrl("./shop")).toBe(pathToFileURL(join(process.cwd(), "shop")).href);
    expect(localSiteUrl("shop.se")).toBeNull();
    expect(localSiteUrl("12")).toBeNull();
  });
});
