/** What a robots.txt fetch gives: the status and the text (robots-parser reads it). */
export interface RobotsFetch {
  status: number;
  body: string;
}

/** A page robots.txt does not allow: the site (or page) is skipped, not fetched. */
export class RobotsDisallowedError extends Error {
  readonly url: string;
  constructor(url: string) {
    super("skipped: robots.txt");
    this.name = "RobotsDisallowedError";
    this.url = url;
  }
}

type Robot = { isAllowed(url: string, ua?: string): boolean | undefined };

/**
 * robots.txt, read once per origin for the life of one run (one batch, one analysis) and kept:
 * a page is allowed when the group for our User-Agent's product token (`leadjobs` from
 * "leadjobs/0.1.0 (…)"), else the `*` group, allows it. A robots.txt that cannot be read
 * (4xx, 5xx, a network error, an address the guard refuses) allows everything, as a missing one does.
 */
export class RobotsCache {
  private readonly byOrigin = new Map<string, Promise<Robot | null>>();
  private readonly fetchText: (url: string) => Promise<RobotsFetch>;
  private readonly userAgent: string;

  constructor(fetchText: (url: string) => Promise<RobotsFetch>, userAgent: string) {
    this.fetchText = fetchText;
    this.userAgent = userAgent;
  }

  async allowed(url: string): Promise<boolean> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return true;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") return true;
    let robot = this.byOrigin.get(u.origin);
    if (!robot) {
      robot = this.load(`${u.origin}/robots.txt`);
      this.byOrigin.set(u.origin, robot);
    }
    return (await robot)?.isAllowed(u.href, this.userAgent) !== false;
  }

  private async load(robotsUrl: string): Promise<Robot | null> {
    let r: RobotsFetch;
    try {
      r = await this.fetchText(robotsUrl);
    } catch {
      return null;
    }
    if (r.status < 200 || r.status >= 300) return null;
    const robotsParser = (await import("robots-parser")).default as unknown as (url: string, text: string) => Robot; // CommonJS: the function is the default export
    return robotsParser(robotsUrl, r.body);
  }
}
