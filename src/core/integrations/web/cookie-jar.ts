/** Cookies kept per site for the pages of one analysis (name=value per host; enough for consent and session cookies). */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  store(host: string, setCookie: readonly string[]): Array<[string, string]> {
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    this.byHost.set(host, jar);
    const got: Array<[string, string]> = [];
    for (const line of setCookie) {
      const first = line.split(";", 1)[0] ?? "";
      const eq = first.indexOf("=");
      if (eq <= 0) continue;
      const name = first.slice(0, eq).trim();
      const value = first.slice(eq + 1).trim();
      jar.set(name, value);
      got.push([name, value]);
    }
    return got;
  }

  header(host: string): string | undefined {
    const jar = this.byHost.get(host);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  all(host: string): Array<[string, string]> {
    return [...(this.byHost.get(host) ?? [])];
  }
}
