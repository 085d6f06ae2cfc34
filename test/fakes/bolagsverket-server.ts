import type { IncomingMessage, ServerResponse } from "node:http";
import { LocalServer } from "./local-server.ts";

/**
 * A local Bolagsverket "värdefulla datamängder" API (v1) and its OAuth2 token endpoint, as the
 * reference describes them: client-credentials tokens; 401 ApiError without a valid bearer
 * token; 400 for an identity that fails the pattern or Luhn check; 200 with per-part
 * ORGANISATION_FINNS_EJ for an unknown number; per-part OTILLGANGLIG_UPPGIFTSKALLA or TIMEOUT
 * on SCB's parts during an outage; 429 with Retry-After and 5xx when told to.
 */
export interface FakeCompany {
  orgnr: string;
  name: string;
  otherNames?: string[];
  form?: string;
  juridiskForm?: string;
  sni?: Array<{ kod: string; klartext: string }>;
  description?: string;
  street?: string;
  postcode?: string;
  town?: string;
  reklamsparr?: boolean;
  active?: boolean;
  registered?: string;
  deregistered?: string;
  pending?: Array<{ kod: string; klartext: string; fromDatum: string }>;
  /** Use the misspelled key of one spec example (`pagande...`) for the pending procedures. */
  misspelledPending?: boolean;
  /** SCB has no record: SCB's parts carry ORGANISATION_FINNS_EJ. */
  notAtScb?: boolean;
}

/** A filed document (an annual report) as `dokumentlista` lists it and `dokument` serves it. */
export interface FakeDocument {
  dokumentId: string;
  /** The last day of the financial year it reports, YYYY-MM-DD. */
  rapporteringsperiodTom: string;
  /** When it was filed, YYYY-MM-DD. */
  registreringstidpunkt: string;
  /** The ZIP served by GET /dokument/{id}. */
  zip: Buffer;
}

const BASE = "/vardefulla-datamangder/v1";

export class FakeBolagsverket extends LocalServer {
  readonly clientId = "leadjobs-test-client";
  readonly clientSecret = "s3cret-client-secret";
  readonly companies = new Map<string, FakeCompany>();
  /** Filed documents by identity (any valid one, known or not). */
  readonly documents = new Map<string, FakeDocument[]>();
  /** Document ids downloaded, in order. */
  readonly downloads: string[] = [];
  /** Seconds a token lives. */
  tokenLifetime = 3600;
  /** SCB's parts fail with this error, when set. */
  scbOutage: "OTILLGANGLIG_UPPGIFTSKALLA" | "TIMEOUT" | null = null;
  tokenRequests = 0;
  /** `organisationer` about the key is answered with the organisation of the value (a misrouted answer). */
  readonly answerAs = new Map<string, string>();
  /** `organisationer` answers 200 with an HTML page (a gateway's), when set. */
  htmlAnswers = false;
  /** A refused token request echoes what it was sent: the raw form body, in base64 and lowercased. */
  echoBody = false;
  readonly apiRequests: Array<{ path: string; auth: string | undefined; requestId: string | undefined; body: unknown }> = [];
  private readonly valid = new Set<string>();
  private readonly failures: Array<{ status: number; retryAfter?: string }> = [];
  get baseUrl(): string {
    return `${this.url}${BASE}`;
  }

  get tokenUrl(): string {
    return `${this.url}/oauth2/token`;
  }

  add(c: FakeCompany): void {
    this.companies.set(c.orgnr, c);
  }

  /** The environment that points leadjobs at this server, with its credentials. */
  cliEnv(): Record<string, string> {
    return {
      BOLAGSVERKET_CLIENT_ID: this.clientId,
      BOLAGSVERKET_CLIENT_SECRET: this.clientSecret,
      LEADJOBS_BOLAGSVERKET_BASE_URL: this.baseUrl,
      LEADJOBS_BOLAGSVERKET_TOKEN_URL: this.tokenUrl,
    };
  }

  fileDocument(orgnr: string, d: FakeDocument): void {
    this.documents.set(orgnr, [...(this.documents.get(orgnr) ?? []), d]);
  }

  /** Every token handed out so far stops working (the next call gets 401). */
  revokeTokens(): void {
    this.valid.clear();
  }

  rateLimit(times: number, retryAfter = "1"): void {
    for (let i = 0; i < times; i++) this.failures.push({ status: 429, retryAfter });
  }

  fail(times: number, status = 503): void {
    for (let i = 0; i < times; i++) this.failures.push({ status });
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (path === "/oauth2/token" && req.method === "POST") return this.token(req, raw, res);
    if (!path.startsWith(BASE)) return apiError(res, 404, "Not Found", "not.found", null);
    const requestId = header(req, "x-request-id");
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      return apiError(res, 400, "Bad Request", "client.error", requestId, "Ogiltig JSON.");
    }
    this.apiRequests.push({ path: path.slice(BASE.length), auth: header(req, "authorization"), requestId, body });
    const auth = header(req, "authorization") ?? "";
    if (!auth.startsWith("Bearer ") || !this.valid.has(auth.slice(7))) return apiError(res, 401, "Unauthorized", "auth.error", null);
    const failure = this.failures.shift();
    if (failure) {
      res.setHeader("content-type", "application/json");
      if (failure.retryAfter) res.setHeader("retry-after", failure.retryAfter);
      res.statusCode = failure.status;
      return void res.end(
        JSON.stringify({
          type: "about:blank",
          instance: failure.status === 429 ? "client.error" : "server.error",
          status: failure.status,
          timestamp: new Date().toISOString(),
          requestId,
          title: failure.status === 429 ? "Too Many Requests" : "Internal Server Error",
          detail: null,
        }),
      );
    }
    const route = path.slice(BASE.length);
    if (route === "/isalive" && req.method === "GET") {
      res.writeHead(200, { "content-type": "text/plain" });
      return void res.end("OK");
    }
    if (route === "/organisationer" && req.method === "POST") {
      const id = String((body as { identitetsbeteckning?: unknown } | null)?.identitetsbeteckning ?? "");
      if (!validIdentity(id))
        return apiError(res, 400, "Bad Request", "client.error", requestId, "Identitetsbeteckning har ogiltig kontrollsiffra.");
      if (this.htmlAnswers) {
        res.writeHead(200, { "content-type": "text/html" });
        return void res.end("<html><body><h1>Service temporarily unavailable</h1></body></html>");
      }
      const c = this.companies.get(this.answerAs.get(id) ?? id);
      return json(res, 200, { organisationer: [c ? this.organisation(c) : unknownOrganisation(id)] });
    }
    if (route === "/dokumentlista" && req.method === "POST") {
      const id = String((body as { identitetsbeteckning?: unknown } | null)?.identitetsbeteckning ?? "");
      if (!validIdentity(id))
        return apiError(res, 400, "Bad Request", "client.error", requestId, "Identitetsbeteckning har ogiltig kontrollsiffra.");
      return json(res, 200, {
        dokument: (this.documents.get(id) ?? []).map((d) => ({
          dokumentId: d.dokumentId,
          filformat: "application/zip",
          rapporteringsperiodTom: d.rapporteringsperiodTom,
          registreringstidpunkt: d.registreringstidpunkt,
        })),
      });
    }
    const doc = /^\/dokument\/([^/]+)$/.exec(route);
    if (doc && req.method === "GET") {
      const id = decodeURIComponent(doc[1] ?? "");
      const found = [...this.documents.values()].flat().find((d) => d.dokumentId === id);
      if (!found) return apiError(res, 404, "Not Found", "not.found", requestId, "Dokument kunde inte hittas.");
      this.downloads.push(id);
      res.writeHead(200, { "content-type": "application/zip", "content-length": found.zip.length });
      return void res.end(found.zip);
    }
    return apiError(res, 404, "Not Found", "not.found", requestId);
  }

  private token(req: IncomingMessage, raw: string, res: ServerResponse): void {
    this.tokenRequests++;
    const form = new URLSearchParams(raw);
    const basic = header(req, "authorization")?.startsWith("Basic ")
      ? Buffer.from(header(req, "authorization")!.slice(6), "base64").toString().split(":")
      : [];
    const id = form.get("client_id") ?? basic[0];
    const secret = form.get("client_secret") ?? basic[1];
    if (form.get("grant_type") !== "client_credentials") return json(res, 400, { error: "unsupported_grant_type" });
    if (id !== this.clientId || secret !== this.clientSecret) {
      // A gateway that repeats what it was given (twice): the client must not record the secret.
      if (this.echoBody)
        return json(res, 401, {
          error: "invalid_client",
          error_description: `bad request body ${raw} (${Buffer.from(secret ?? "").toString("base64")}, ${raw.toLowerCase()})`,
        });
      return json(res, 401, {
        error: "invalid_client",
        error_description: `Client Authentication failed for ${id}:${secret} (secret ${secret})`,
      });
    }
    const token = `tok-${this.tokenRequests}-${Math.random().toString(36).slice(2)}`;
    this.valid.add(token);
    json(res, 200, {
      access_token: token,
      token_type: "Bearer",
      expires_in: this.tokenLifetime,
      scope: form.get("scope") ?? "vardefulla-datamangder:read",
    });
  }

  private organisation(c: FakeCompany): Record<string, unknown> {
    const bv = (part: Record<string, unknown>) => ({ ...part, dataproducent: "Bolagsverket", fel: null });
    const scbFel = c.notAtScb ? "ORGANISATION_FINNS_EJ" : this.scbOutage;
    const scb = (part: Record<string, unknown> | null, empty: Record<string, unknown>) =>
      scbFel
        ? {
            ...empty,
            dataproducent: "SCB",
            fel: {
              typ: scbFel,
              felBeskrivning: scbFel === "TIMEOUT" ? "Tidsgränsen för anropet överskreds." : "Uppgiftskällan är inte tillgänglig.",
            },
          }
        : part
          ? { ...part, dataproducent: "SCB", fel: null }
          : null;
    const pendingKey = c.misspelledPending
      ? "pagandeAvvecklingsEllerOmstruktureringsforfarande"
      : "pagaendeAvvecklingsEllerOmstruktureringsforfarande";
    return {
      organisationsidentitet: { identitetsbeteckning: c.orgnr, typ: { kod: "ORGNR", klartext: "Organisationsnummer" } },
      namnskyddslopnummer: null,
      registreringsland: { kod: "SE-LAND", klartext: "Sverige" },
      organisationsnamn: bv({
        organisationsnamnLista: [
          {
            namn: c.name,
            organisationsnamntyp: { kod: "FORETAGSNAMN", klartext: "Företagsnamn" },
            registreringsdatum: c.registered ?? "2010-01-01",
            verksamhetsbeskrivningSarskiltForetagsnamn: null,
          },
          ...(c.otherNames ?? []).map((n) => ({
            namn: n,
            organisationsnamntyp: { kod: "SARSKILT_FORETAGSNAMN", klartext: "Särskilt företagsnamn" },
            registreringsdatum: "2015-03-01",
            verksamhetsbeskrivningSarskiltForetagsnamn: null,
          })),
        ],
      }),
      organisationsform: bv({ kod: c.form ?? "AB", klartext: c.form === "HB" ? "Handelsbolag" : "Aktiebolag" }),
      juridiskForm: scb({ kod: c.juridiskForm ?? "49", klartext: "Övriga aktiebolag" }, { kod: null, klartext: null }),
      verksamOrganisation: scb({ kod: c.active === false ? "NEJ" : "JA" }, { kod: null }),
      reklamsparr: scb({ kod: c.reklamsparr ? "JA" : "NEJ" }, { kod: null }),
      organisationsdatum: bv({ registreringsdatum: c.registered ?? "2010-01-01", infortHosScb: "2010-01-05" }),
      avregistreradOrganisation: c.deregistered ? bv({ avregistreringsdatum: `${c.deregistered}T00:00:00.000+00:00` }) : null,
      avregistreringsorsak: c.deregistered ? bv({ kod: "LIAV", klartext: "Likvidation" }) : null,
      [pendingKey]: c.pending ? bv({ [`${pendingKey}Lista`]: c.pending }) : null,
      verksamhetsbeskrivning: bv({ beskrivning: c.description ?? null }),
      naringsgrenOrganisation: scb(c.sni ? { sni: c.sni } : null, { sni: null }),
      postadressOrganisation: bv({
        postadress: {
          utdelningsadress: c.street ?? null,
          coAdress: null,
          postnummer: c.postcode ?? null,
          postort: c.town?.toUpperCase() ?? null,
          land: "Sverige",
        },
      }),
    };
  }
}

function unknownOrganisation(id: string): Record<string, unknown> {
  const fel = (producer: string) => ({
    dataproducent: producer,
    fel: { typ: "ORGANISATION_FINNS_EJ", felBeskrivning: "Organisationen finns inte." },
  });
  return {
    organisationsidentitet: { identitetsbeteckning: id, typ: null },
    namnskyddslopnummer: null,
    registreringsland: null,
    organisationsnamn: { organisationsnamnLista: [], ...fel("Bolagsverket") },
    organisationsform: { kod: null, klartext: null, ...fel("Bolagsverket") },
    juridiskForm: { kod: null, klartext: null, ...fel("SCB") },
    verksamOrganisation: { kod: null, ...fel("SCB") },
    reklamsparr: null,
    organisationsdatum: { registreringsdatum: null, infortHosScb: null, ...fel("Bolagsverket") },
    avregistreradOrganisation: null,
    avregistreringsorsak: null,
    pagaendeAvvecklingsEllerOmstruktureringsforfarande: null,
    verksamhetsbeskrivning: { beskrivning: null, ...fel("Bolagsverket") },
    naringsgrenOrganisation: null,
    postadressOrganisation: { postadress: null, ...fel("Bolagsverket") },
  };
}

const PATTERN = /^(19|20)?\d{2}(0[1-9]|1[0-2])((0|6)[1-9]|(1|2|7|8)[0-9]|(3|9)[0|1])\d{4}$|^\d{6}\d{4}$|^302\d{8}$/;

function validIdentity(id: string): boolean {
  if (!PATTERN.test(id)) return false;
  const ten = id.length === 12 ? id.slice(2) : id;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = Number(ten[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function apiError(
  res: ServerResponse,
  status: number,
  title: string,
  instance: string,
  requestId: string | null | undefined,
  detail: string | null = null,
): void {
  json(res, status, {
    type: status === 401 ? "urn:bolagsverket:error:auth" : "about:blank",
    instance,
    status,
    timestamp: status === 401 ? null : new Date().toISOString(),
    requestId: status === 401 ? null : (requestId ?? null),
    title,
    detail,
  });
}
