import { describe, expect, it } from "bun:test";
import { unreachableUrl } from "../fakes/dyndns2/fake-dyndns2-server.ts";
import { a, createHarness, liveOptions, uniqueLabel } from "../fakes/dyndns2/provider-harness.ts";
import { startFakeDuckDns } from "../fakes/duckdns/fake-duckdns-server.ts";
import { providerContract, type ContractPeer } from "./provider-contract.ts";

/**
 * The provider contract against the fake DuckDNS service, with and without the verbose answer. DuckDNS is
 * write-only, so "no write when equal" means no request at all (`requests()` counts every request the fake
 * received); `writes()` counts the update requests.
 */
const TOKEN = "5b2f3a9e-0c1d-4e8f-9a7b-6c5d4e3f2a1b";
const WRONG = "00000000-0000-0000-0000-000000000000";

const duckdnsOf = (token: string, apiUrl: string) => createHarness().provider("duckdns", { DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });

const flavours: Array<{ label: string; verbose: boolean; trailingSlash: boolean }> = [
  { label: "verbose answers", verbose: true, trailingSlash: false },
  { label: "plain OK/KO answers", verbose: false, trailingSlash: false },
  { label: "base URL with a trailing slash", verbose: true, trailingSlash: true },
];

for (const { label, verbose, trailingSlash } of flavours) {
  providerContract(`duckdns (${label})`, async (): Promise<ContractPeer> => {
    const subs = [uniqueLabel("one"), uniqueLabel("two")];
    const fake = startFakeDuckDns({ token: TOKEN, domains: subs, plainAnswers: !verbose });
    const make = (token: string, apiUrl: string) => duckdnsOf(token, apiUrl);
    const nowhere = await unreachableUrl();
    return {
      secrets: [TOKEN, WRONG],
      requests: async () => fake.requests.length,
      provider: make(TOKEN, trailingSlash ? `${fake.url}/` : fake.url),
      badAuthProvider: make(WRONG, fake.url),
      unreachableProvider: make(TOKEN, nowhere),
      names: [`${subs[0]}.duckdns.org`, `${subs[1]}.duckdns.org`],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      close: () => fake.close(),
    };
  });
}

describe("duckdns contract peer", () => {
  it("counts real update requests as writes, and nothing else", async () => {
    const fake = startFakeDuckDns({ token: TOKEN, domains: ["peer"] });
    try {
      await fetch(`${fake.url}/favicon.ico`);
      expect(fake.writes()).toBe(0);
      await duckdnsOf(TOKEN, fake.url).setRecords([a("peer.duckdns.org", "203.0.113.1")], liveOptions());
      expect(fake.writes()).toBe(1);
    } finally {
      await fake.close();
    }
  });
});
