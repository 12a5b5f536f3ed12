import { describe, expect, it } from "bun:test";
import { hideDomain } from "../../src/providers/kit/hide-domain.ts";
import { ok } from "../../src/providers/kit/answer.ts";

describe("hideDomain", () => {
  it.each([
    { name: "a domain segment in the middle of a path", reason: `X at "https://api.example.net/2/zones/home.example.com/records?…" redirected`, want: `X at "https://api.example.net/2/zones/{domain}/records?…" redirected` },
    { name: "a domain segment at the end before the query", reason: `X at "https://h/zones/records/all/home.example.com?…"`, want: `X at "https://h/zones/records/all/{domain}?…"` },
    { name: "a longer name that only ends with the domain", reason: `X at "https://h/zones/nas.home.example.com/records"`, want: `X at "https://h/zones/nas.home.example.com/records"` },
    { name: "no URL", reason: "X failed (HTTP 503)", want: "X failed (HTTP 503)" },
  ])("shows $name as {domain} only where it is the whole segment", ({ reason, want }) => {
    expect(hideDomain({ ok: false, problem: { kind: "transient", reason } }, "home.example.com")).toEqual({ ok: false, problem: { kind: "transient", reason: want } });
  });

  it("leaves a reason alone when there is no domain (calls outside a domain's paths)", () => {
    const failure = { ok: false as const, problem: { kind: "transient" as const, reason: `X at "http://h/v6/domains" redirected` } };
    expect(hideDomain(failure, "")).toEqual(failure);
  });

  it("leaves a success alone", () => {
    expect(hideDomain(ok(1), "example.com")).toEqual(ok(1));
  });
});
