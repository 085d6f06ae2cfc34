import { describe, expect, it } from "vitest";
import { CookieJar } from "../../src/core/integrations/web/cookie-jar.ts";

describe("cookie jar (the rules browsers follow)", () => {
  it("a cookie for Domain=shop.se is sent to www.shop.se; a host-only cookie is not", () => {
    const jar = new CookieJar();
    expect(jar.store("https://shop.se/", ["consent=yes; Domain=shop.se; Path=/", "session=abc; Path=/"])).toEqual([
      ["consent", "yes"],
      ["session", "abc"],
    ]);
    expect(jar.header("https://www.shop.se/kassa")).toBe("consent=yes");
    expect(jar.header("https://shop.se/")).toBe("consent=yes; session=abc");
    expect(jar.header("https://othershop.se/")).toBeUndefined();
  });

  it("Max-Age=0 and a past Expires delete; paths are honoured; a public suffix or another site is refused", () => {
    const jar = new CookieJar();
    jar.store("https://www.shop.se/", ["a=1", "b=2", "cart=3; Path=/kassa", "wide=4; Domain=se", "evil=5; Domain=example.com"]);
    expect(jar.all("https://www.shop.se/")).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    expect(jar.header("https://www.shop.se/kassa/steg-2")).toBe("cart=3; a=1; b=2");
    jar.store("https://www.shop.se/", ["a=; Max-Age=0", "b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
    expect(jar.header("https://www.shop.se/")).toBeUndefined();
  });
});
