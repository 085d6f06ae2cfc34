import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enrichCompany } from "../../src/core/companies/enrich.ts";
import { getCompany } from "../../src/core/companies/show.ts";
import { HvdClient } from "../../src/core/integrations/bolagsverket/client.ts";
import { HvdError } from "../../src/core/integrations/bolagsverket/errors.ts";
import { readOrganisation } from "../../src/core/companies/bolagsverket-organisation.ts";
import { FakeBolagsverket } from "../fakes/bolagsverket-server.ts";
import { testStore } from "../helpers/store.ts";

let fake: FakeBolagsverket;
beforeAll(async () => {
  fake = await new FakeBolagsverket().start();
  fake.add({
    orgnr: "5560160680",
    name: "Åkesson Logistik AB",
    otherNames: ["Åkessons Budbilar"],
    sni: [
      { kod: "52290", klartext: "Övriga stödtjänster till transporter" },
      { kod: "49410", klartext: "Vägtransport av gods" },
    ],
    description: "Bolaget ska bedriva logistik och\ntransporter.",
    street: "Hamnvägen 4",
    postcode: "41764",
    town: "Göteborg",
    reklamsparr: false,
  });
  fake.add({
    orgnr: "5566778899",
    name: "Konkursbo Trading AB",
    pending: [{ kod: "KK", klartext: "Konkurs", fromDatum: "2026-03-01" }],
    misspelledPending: true,
    reklamsparr: true,
  });
  fake.add({ orgnr: "5560125790", name: "Avvecklad AB", deregistered: "2023-05-05" });
  fake.add({ orgnr: "2021005489", name: "Bolagsverket", form: "STAT", notAtScb: true });
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.scbOutage = null;
  fake.tokenLifetime = 3600;
});

function client(clock: () => number = Date.now, delays: number[] = []) {
  return new HvdClient({
    baseUrl: fake.baseUrl,
    tokenUrl: fake.tokenUrl,
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    clock,
    sleep: async (ms) => void delays.push(ms),
  });
}

describe("Bolagsverket HVD client against a local fake of the API", () => {
  it("gets a token once and reuses it until a minute before it expires", async () => {
    let now = Date.parse("2026-05-01T08:00:00Z");
    const c = client(() => now);
    await c.organisationer("5560160680");
    await c.organisationer("5560160680");
    expect(c.tokenRequests).toBe(1);
    now += 3600_000 - 61_000;
    await c.organisationer("5560160680");
    expect(c.tokenRequests).toBe(1);
    now += 2000; // within the last minute: renewed before the call
    await c.organisationer("5560160680");
    expect(c.tokenRequests).toBe(2);
    const last = fake.apiRequests.at(-1)!;
    expect(last.auth).toMatch(/^Bearer tok-/);
    expect(last.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await c.isAlive()).toBe(true);
  });

  it("renews the token once when a call gets 401", async () => {
    const c = client();
    await c.organisationer("5560160680");
    fake.revokeTokens();
    const body = await c.organisationer("5560160680");
    expect(c.tokenRequests).toBe(2);
    expect(readOrganisation(body, "5560160680")).toMatchObject({ found: true });
  });

  it("wrong credentials: an auth error naming the variables, without the secret", async () => {
    const c = new HvdClient({
      baseUrl: fake.baseUrl,
      tokenUrl: fake.tokenUrl,
      clientId: fake.clientId,
      clientSecret: "wrong-secret-value",
      clock: Date.now,
    });
    const e = (await c.organisationer("5560160680").catch((x: unknown) => x)) as HvdError;
    expect(e).toBeInstanceOf(HvdError);
    expect(e.kind).toBe("auth");
    expect(e.message).toMatch(/BOLAGSVERKET_CLIENT_ID/);
    expect(e.message).not.toContain("wrong-secret-value");
  });

  it("backs off on 429 honouring Retry-After, and on 5xx exponentially", async () => {
    const delays: number[] = [];
    const c = client(Date.now, delays);
    fake.rateLimit(1, "2");
    fake.fail(2, 503);
    await c.organisationer("5560160680");
    expect(delays).toEqual([2000, 2000, 4000]);
    fake.rateLimit(1, "3600");
    await expect(c.organisationer("5560160680")).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 3_600_000 });
  });

  it("an invalid number is a 400 with Bolagsverket's reason", async () => {
    await expect(client().organisationer("5560160681")).rejects.toMatchObject({
      kind: "bad_request",
      status: 400,
      message: expect.stringMatching(/ogiltig kontrollsiffra/),
    });
  });

  it("reads a full answer: names, SNI, address, reklamspärr, status from deregistration and pending procedures", async () => {
    const c = client();
    const a = readOrganisation(await c.organisationer("5560160680"), "5560160680");
    expect(a).toEqual({
      found: true,
      unavailable: [],
      record: expect.objectContaining({
        name: "Åkesson Logistik AB",
        altNames: "Åkessons Budbilar",
        legalForm: "AB",
        status: "active",
        sniCodes: ["52290", "49410"],
        street: "Hamnvägen 4",
        postcode: "417 64",
        town: "Göteborg",
        municipality: "Göteborg",
        reklamsparr: false,
        description: "Bolaget ska bedriva logistik och\ntransporter.",
      }),
    });
    expect(readOrganisation(await c.organisationer("5566778899"), "5566778899")).toMatchObject({
      record: { status: "bankruptcy", reklamsparr: true },
    });
    expect(readOrganisation(await c.organisationer("5560125790"), "5560125790")).toMatchObject({
      record: { status: "deregistered", deregisteredOn: "2023-05-05" },
    });
    expect(readOrganisation(await c.organisationer("5560000001"), "5560000001")).toEqual({ found: false });
    const notAtScb = readOrganisation(await c.organisationer("2021005489"), "2021005489");
    expect(notAtScb).toMatchObject({ found: true, unavailable: [] });
    expect(notAtScb.found && notAtScb.record.sniCodes).toBeUndefined();
  });

  it("enrich writes the company; a partial outage leaves SCB's fields as they were", async () => {
    const store = await testStore();
    const c = client();
    const now = Date.parse("2026-05-01T08:00:00Z");
    expect(await enrichCompany(store.db, c, "5560160680", { now })).toMatchObject({ outcome: "created", name: "Åkesson Logistik AB" });
    expect(await enrichCompany(store.db, c, "5560160680", { now })).toMatchObject({ outcome: "unchanged" });
    fake.scbOutage = "OTILLGANGLIG_UPPGIFTSKALLA";
    const partial = await enrichCompany(store.db, c, "5560160680", { now });
    expect(partial.outcome).toBe("partial");
    expect(partial.unavailable).toEqual(expect.arrayContaining(["naringsgrenOrganisation", "reklamsparr", "verksamOrganisation"]));
    const company = await getCompany(store.db, "5560160680");
    expect(company.sni.map((s) => s.code)).toEqual(["52290", "49410"]);
    expect(company.status).toBe("active");
    expect(company.enrichedAt).toBe(new Date(now).toISOString());
    fake.scbOutage = "TIMEOUT";
    expect((await enrichCompany(store.db, c, "5560160680", { now })).outcome).toBe("partial");
    expect(await enrichCompany(store.db, c, "5560000001", { now })).toMatchObject({ outcome: "not_found" });
    expect(await enrichCompany(store.db, c, "5560160681", { now })).toMatchObject({
      outcome: "failed",
      error: expect.stringMatching(/400/),
    });
  });
});
