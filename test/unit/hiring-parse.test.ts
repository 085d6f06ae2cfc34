import { describe, expect, it } from "vitest";
import { careersCandidates, isAtsHost } from "../../src/core/hiring/careers-links.ts";
import { keywordMatcher } from "../../src/core/hiring/keyword-match.ts";
import { parseCareersPage } from "../../src/core/hiring/parse-positions.ts";

const NOW = Date.parse("2026-11-22T08:00:00Z");
const doc = (
  body: string,
  head = "",
) => `<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Lediga jobb – Bolaget AB</title>${head}</head><body>
<header><nav><a href="/">Hem</a><a href="/om-oss">Om oss</a><a href="/karriar/formaner">Förmåner</a><a href="/jobb">Lediga jobb</a></nav></header>
<main>${body}</main>
<footer><a href="/karriar/studenter">Studenter</a><a href="/integritet">Integritetspolicy</a></footer></body></html>`;
const titles = (html: string, url = "https://www.bolaget.se/jobb") => parseCareersPage(html, url, NOW).positions.map((p) => p.title);

describe("careers pages: positions from job links", () => {
  it("a plain list of job links with headings and locations; nav and footer links are not positions", () => {
    const html = doc(`<h1>Lediga jobb</h1><ul class="job-list">
      <li><a href="/jobb/lagerarbetare-goteborg"><h3>Lagerarbetare</h3><span class="location">Göteborg</span> · Heltid</a></li>
      <li><a href="/jobb/truckforare-natt"><h3>Truckförare, natt</h3><span class="location">Borås</span></a></li>
      <li><a href="/jobb/ekonomiassistent?utm_source=site&amp;utm_medium=list#top"><h3>Ekonomiassistent</h3></a></li>
      <li><a href="/jobb/spontanansokan">Spontanansökan</a></li>
    </ul><p><a href="/jobb?page=2">Nästa</a></p>`);
    const r = parseCareersPage(html, "https://www.bolaget.se/jobb", NOW);
    expect(r.source).toBe("links");
    expect(r.positions).toEqual([
      { title: "Lagerarbetare", url: "https://www.bolaget.se/jobb/lagerarbetare-goteborg", location: "Göteborg" },
      { title: "Truckförare, natt", url: "https://www.bolaget.se/jobb/truckforare-natt", location: "Borås" },
      { title: "Ekonomiassistent", url: "https://www.bolaget.se/jobb/ekonomiassistent", location: null },
    ]);
    expect(r.looksLikeCareers).toBe(true);
  });

  it('"Läs mer" links take the heading before them; the same posting linked twice counts once', () => {
    const html = doc(`<div class="positions">
      <article class="position"><h2>Säljare till innesälj</h2><p>Vi söker en säljare.</p><a href="/lediga-jobb/saljare">Läs mer</a> <a href="/lediga-jobb/saljare#ansok">Ansök</a></article>
      <article class="position"><h2>Chaufför C-körkort</h2><a href="/lediga-jobb/chauffor">Läs mer</a></article>
    </div>`);
    expect(titles(html, "https://bolaget.se/lediga-jobb")).toEqual(["Säljare till innesälj", "Chaufför C-körkort"]);
  });

  it("a header inside an article job card is the card's, not page chrome: two cards give two positions", () => {
    const html = doc(`<h1>Lediga jobb</h1>
      <article class="card"><header><h2><a href="/jobb/lagerarbetare">Lagerarbetare</a></h2></header><p>Heltid i Göteborg.</p></article>
      <article class="card"><header><h2>Truckförare &amp; lagervärd</h2></header><p>Natt.</p><a href="/jobb/truckforare">Läs mer</a></article>`);
    expect(titles(html)).toEqual(["Lagerarbetare", "Truckförare & lagervärd"]);
  });

  it('pages of a careers section count only inside a job list (not "Våra förmåner")', () => {
    const html = doc(`<h1>Karriär</h1><p><a href="/karriar/formaner">Läs om våra förmåner</a></p>
      <section class="open-positions"><h2>Lediga tjänster</h2>
        <a href="/karriar/lagerchef"><div class="card"><span class="job-title">Lagerchef</span><span>Jönköping</span></div></a>
      </section>`);
    expect(titles(html, "https://bolaget.se/karriar")).toEqual(["Lagerchef"]);
  });

  it("a Teamtailor career site: postings under /jobs/ID-slug, departments and locations are not postings", () => {
    const html = `<!DOCTYPE html><html><head><title>Jobb – Bolaget</title></head><body>
      <ul id="jobs_list_container" class="block-grid">
        <li class="w-full"><a class="flex flex-col py-6 text-center sm:px-6 hover:bg-gradient-block-base-bg focus-visible-company focus-visible:rounded" href="https://bolaget.teamtailor.com/jobs/5123456-lagerarbetare-till-nattskift">
          <span class="text-block-base-link company-link-style hyphens-auto" title="Lagerarbetare till nattskift">Lagerarbetare till nattskift</span>
          <div class="mt-1 text-md"><span>Lager</span><span class="mx-[2px]">·</span><span>Göteborg</span></div></a></li>
        <li class="w-full"><a href="https://bolaget.teamtailor.com/jobs/5123999-inkopare"><span class="text-block-base-link" title="Inköpare">Inköpare</span></a></li>
      </ul>
      <a href="https://bolaget.teamtailor.com/departments/lager">Lager</a><a href="https://bolaget.teamtailor.com/locations/goteborg">Göteborg</a>
      <a href="https://bolaget.teamtailor.com/connect">Connect</a></body></html>`;
    const r = parseCareersPage(html, "https://bolaget.teamtailor.com/jobs", NOW);
    expect(r.positions.map((p) => [p.title, p.url])).toEqual([
      ["Lagerarbetare till nattskift", "https://bolaget.teamtailor.com/jobs/5123456-lagerarbetare-till-nattskift"],
      ["Inköpare", "https://bolaget.teamtailor.com/jobs/5123999-inkopare"],
    ]);
  });

  it("Varbi and Lever postings", () => {
    const html = `<html><body><table><tr><td><a href="https://bolaget.varbi.com/se/what:job/jobID:612345/">Terminalarbetare</a></td></tr></table>
      <a href="https://jobs.lever.co/bolaget/3f2a6c1e-1111-2222-3333-444455556666">Backend Developer</a></body></html>`;
    expect(titles(html, "https://bolaget.se/karriar")).toEqual(["Terminalarbetare", "Backend Developer"]);
  });

  it("no positions: an empty careers page, with the ATS site it links to as the way onward", () => {
    const html = doc(`<h1>Jobba hos oss</h1><p>Just nu har vi inga lediga tjänster.</p>
      <p><a href="/om-oss">Om oss</a> <a href="https://bolaget.teamtailor.com/">Se alla lediga jobb på vår karriärsida</a></p>`);
    const r = parseCareersPage(html, "https://bolaget.se/jobba-hos-oss", NOW);
    expect(r).toMatchObject({ source: null, positions: [], onward: ["https://bolaget.teamtailor.com/"], looksLikeCareers: true });
  });

  it("a page about something else does not look like a careers page", () => {
    const html = `<html><head><title>Bolaget AB – transporter</title></head><body><h1>Välkommen</h1><p>Vi kör gods i hela Norden.</p></body></html>`;
    expect(parseCareersPage(html, "https://bolaget.se/jobs", NOW)).toMatchObject({ positions: [], looksLikeCareers: false });
  });
});

describe("careers pages: positions from JSON-LD JobPosting", () => {
  it("reads postings from a list, @graph and ItemList; expired ones are left out; JSON-LD wins over links", () => {
    const postings = {
      "@context": "https://schema.org",
      "@graph": [
        { "@type": "Organization", name: "Bolaget AB" },
        {
          "@type": "JobPosting",
          title: "Lagerarbetare &amp; truckförare",
          url: "/karriar/123",
          datePosted: "2026-11-01",
          validThrough: "2026-12-31",
          jobLocation: { "@type": "Place", address: { "@type": "PostalAddress", addressLocality: "Malmö" } },
        },
        { "@type": "JobPosting", title: "Gammal tjänst", validThrough: "2026-01-31" },
      ],
    };
    const list = {
      "@type": "ItemList",
      itemListElement: [
        {
          "@type": "ListItem",
          position: 1,
          item: { "@type": "JobPosting", title: "IT-tekniker", sameAs: "https://bolaget.se/karriar/it", jobLocationType: "TELECOMMUTE" },
        },
      ],
    };
    const html = doc(
      `<h1>Karriär</h1><a href="/jobb/annat">Något annat jobb</a>`,
      `<script type="application/ld+json">${JSON.stringify(postings)}</script><script type="application/ld+json">{ broken</script><script type="application/ld+json">${JSON.stringify(list)}</script>`,
    );
    const r = parseCareersPage(html, "https://bolaget.se/karriar", NOW);
    expect(r.source).toBe("json-ld");
    expect(r.positions).toEqual([
      { title: "Lagerarbetare & truckförare", url: "https://bolaget.se/karriar/123", location: "Malmö" },
      { title: "IT-tekniker", url: "https://bolaget.se/karriar/it", location: "remote" },
    ]);
  });

  it("a posting valid through a date is open all that day; one valid through an instant closes at it", () => {
    const posting = (title: string, validThrough: string) => ({
      "@context": "https://schema.org",
      "@type": "JobPosting",
      title,
      validThrough,
    });
    const html = doc(
      "<h1>Karriär</h1>",
      [
        posting("Sista dagen", "2026-11-22"),
        posting("I går", "2026-11-21"),
        posting("Stängd i morse", "2026-11-22T07:00:00Z"),
        posting("Öppen till i kväll", "2026-11-22T17:00:00+01:00"),
      ]
        .map((p) => `<script type="application/ld+json">${JSON.stringify(p)}</script>`)
        .join(""),
    );
    expect(parseCareersPage(html, "https://bolaget.se/karriar", NOW).positions.map((p) => p.title)).toEqual([
      "Sista dagen",
      "Öppen till i kväll",
    ]);
  });
});

describe("where the careers page is", () => {
  it("the start page's careers links first (same site, shallowest), then ATS sites, then the usual paths", () => {
    const c = careersCandidates("https://www.bolaget.se/", [
      { href: "https://www.bolaget.se/produkter", text: "Produkter" },
      { href: "https://bolaget.teamtailor.com/", text: "Bli en av oss" },
      { href: "https://www.bolaget.se/om-oss/jobba-hos-oss", text: "Jobba hos oss" },
      { href: "https://www.bolaget.se/karri%C3%A4r", text: "Karriär" },
      { href: "https://www.linkedin.com/company/bolaget", text: "LinkedIn" },
    ]);
    expect(c.filter((x) => x.linked).map((x) => x.url)).toEqual([
      "https://www.bolaget.se/karri%C3%A4r",
      "https://www.bolaget.se/om-oss/jobba-hos-oss",
      "https://bolaget.teamtailor.com/",
    ]);
    // The usual paths, minus the one that is already linked.
    expect(c.filter((x) => !x.linked).map((x) => new URL(x.url).pathname)).toEqual([
      "/jobb",
      "/lediga-jobb",
      "/karriar",
      "/jobba-hos-oss",
      "/careers",
      "/jobs",
    ]);
  });

  it("recognises ATS hosts", () => {
    expect(
      ["bolaget.teamtailor.com", "career.teamtailor.com", "bolaget.varbi.com", "jobs.lever.co", "emp.jobylon.com"].every(isAtsHost),
    ).toBe(true);
    expect(["teamtailor.com.evil.se", "bolaget.se"].some(isAtsHost)).toBe(false);
  });

  it("social networks are not careers pages, even when their address says jobs", () => {
    const c = careersCandidates("https://bolaget.se/", [
      { href: "https://www.linkedin.com/company/bolaget/jobs/", text: "Lediga jobb på LinkedIn" },
    ]);
    expect(c.every((x) => !x.linked)).toBe(true);
  });
});

describe("keyword matching", () => {
  it("matches word starts, case- and diacritics-insensitively", () => {
    const match = keywordMatcher(["lager", "truck", "ekonomi", "förare", "key account"]);
    expect(match("Lagerarbetare")).toEqual(["lager"]);
    expect(match("Truckförare, natt")).toEqual(["truck"]);
    expect(match("TRUCKFORARE")).toEqual(["truck"]);
    expect(match("Ekonomiassistent")).toEqual(["ekonomi"]);
    expect(match("Förare till distribution")).toEqual(["förare"]);
    expect(match("Forare C-körkort")).toEqual(["förare"]);
    expect(match("Fraktlager-ansvarig")).toEqual([]);
    expect(match("Key  Account Manager")).toEqual(["key account"]);
    expect(match("Lager- och truckförare")).toEqual(["lager", "truck"]);
  });
});
