import { Cookie, CookieJar as ToughCookieJar } from "tough-cookie";

/**
 * Cookies kept for the pages of one analysis, by the rules browsers follow (tough-cookie,
 * RFC 6265): `Domain=shop.se` is sent to www.shop.se too, paths and expiry are honoured
 * (`Max-Age=0` deletes), a cookie for a public suffix or for another site is refused.
 */
export class CookieJar {
  private readonly jar = new ToughCookieJar();

  /** Keeps the cookies a response to `url` set; returns the name and value of each it set (also those it deleted or refused). */
  store(url: string, setCookie: readonly string[]): Array<[string, string]> {
    const got: Array<[string, string]> = [];
    for (const line of setCookie) {
      const cookie = Cookie.parse(line);
      if (!cookie || cookie.key === "") continue;
      got.push([cookie.key, cookie.value]);
      this.jar.setCookieSync(cookie, url, { ignoreError: true });
    }
    return got;
  }

  /** The Cookie header for a request to `url`, if any cookie applies. */
  header(url: string): string | undefined {
    return this.jar.getCookieStringSync(url) || undefined;
  }

  /** The cookies a request to `url` would send, by name. */
  all(url: string): Array<[string, string]> {
    return this.jar.getCookiesSync(url).map((c) => [c.key, c.value]);
  }
}
