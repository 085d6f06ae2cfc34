import { describe, expect, it } from "vitest";
import { errorText, MAX_ERROR_TEXT, redactEnv, redactSecrets, secretsInEnv } from "../../src/core/util/redact.ts";

const secret = "Wr0ng+S3cret/Value=&Säker";

describe("redaction of secrets", () => {
  it("every encoding of a secret, in any letter case, is removed", () => {
    const basic = Buffer.from(`leadjobs-client:${secret}`).toString("base64");
    for (const shown of [
      secret,
      secret.toLowerCase(),
      secret.toUpperCase(),
      encodeURIComponent(secret),
      encodeURIComponent(secret).toLowerCase(),
      new URLSearchParams({ s: secret }).toString().slice(2),
      Buffer.from(secret).toString("base64"),
      Buffer.from(secret).toString("base64url"),
      JSON.stringify(secret),
      `Basic ${basic}`,
      `x${Buffer.from(`ab${secret}`).toString("base64")}`,
    ]) {
      const out = redactSecrets(`refused: ${shown} (again ${shown})`, [secret]);
      expect(out, shown).toContain("[redacted]");
      expect(out.toLowerCase(), shown).not.toContain(secret.toLowerCase());
      expect(out, shown).not.toMatch(/S3cret|UzNjcmV0|czNjcmV0/i);
    }
  });

  it("secrets come from the variables named *KEY, *TOKEN, *SECRET, *PASSWORD; short values and other text are left alone", () => {
    const env = { OPENAI_API_KEY: "sk-proj-abc", BOLAGSVERKET_CLIENT_SECRET: secret, PATH: "/usr/bin", SHORT_TOKEN: "abc" };
    expect(secretsInEnv(env)).toEqual(["sk-proj-abc", secret, "abc"]);
    expect(redactEnv(`a ${encodeURIComponent(secret)} b sk-proj-abc /usr/bin abc`, env)).toBe("a [redacted] b [redacted] /usr/bin abc");
    expect(redactSecrets("Basic information about Bolaget AB", [secret])).toBe("Basic information about Bolaget AB");
  });
});

describe("failure text that is printed or stored", () => {
  it("is clipped to a short prefix, saying how much was left out, and has no secrets", () => {
    const text = errorText(`unknown brand ${secret} ${"x".repeat(5_000_000)}`, { BOLAGSVERKET_CLIENT_SECRET: secret });
    expect(text.length).toBeLessThan(MAX_ERROR_TEXT + 50);
    expect(text).toMatch(/^unknown brand \[redacted\] x+… \(\d+ more characters\)$/);
    expect(errorText("short", {})).toBe("short");
  });
});
