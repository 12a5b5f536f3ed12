import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { DnsProvider, RecordRequest } from "../../src/providers/kit/types.ts";
import { spaceship } from "../../src/providers/spaceship/descriptor.ts";
import { startFakeSpaceship, type FakeSpaceship } from "../fakes/spaceship/fake-spaceship.ts";
import { deps } from "./test-requests.ts";

/**
 * DDNS_OWNER_ID on Spaceship (set template): the owner TXT at `_ddnsd-a.<name>` is a TXT item with `value`, saved in
 * the same PUT as the set it claims; on stop the set and this owner's text go, other texts stay.
 */
const KEY = "JdIS8QYFMZpVKupJtdc3";
const SECRET = "F3brvQluT4s8aDB7PeFBH6qKHfH2xTKTneCjZbq3z2w7";
function ssProvider(apiUrl: string): DnsProvider {
  const parsed = spaceship.parse({ DDNS_PROVIDER_API_KEY: KEY, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return spaceship.create(parsed.settings, deps());
}
const opts = () => ({ signal: AbortSignal.timeout(5_000), dryRun: false });
const as = (name: string, content: string, ownerId = "site-a"): RecordRequest => ({ name, type: "A", content, ownerId });

describe("spaceship with DDNS_OWNER_ID", () => {
  let fake: FakeSpaceship;
  beforeAll(async () => {
    fake = await startFakeSpaceship({ keys: { [`${KEY}:${SECRET}`]: "write" }, zones: ["example.com"] });
  });
  afterAll(() => fake.stop());
  const puts = () => fake.requests.filter((r) => r.method === "PUT");

  it("saves a new set and its owner TXT in one PUT, the TXT as a `value` item, keeping a text that is not ddnsd's", async () => {
    fake.edit("_ddnsd-a.new.example.com", "TXT", ["v=keep-me"]);
    const before = puts().length;
    const [r] = await ssProvider(fake.url).setRecords([as("new.example.com", "203.0.113.60")], opts());
    expect(r).toMatchObject({ ok: true, outcome: "created" });
    expect(puts().length - before).toBe(1);
    expect(JSON.parse(puts().at(-1)!.body).items).toEqual(expect.arrayContaining([
      { type: "A", name: "new", address: "203.0.113.60", ttl: 3600 },
      { type: "TXT", name: "_ddnsd-a.new", value: "heritage=ddnsd,owner=site-a", ttl: 3600 },
    ]));
    expect(fake.read("_ddnsd-a.new.example.com", "TXT").sort()).toEqual(["heritage=ddnsd,owner=site-a", "v=keep-me"]);
    // The next round reads the TXT back (with `value`) and writes nothing.
    const writes = fake.writes();
    expect((await ssProvider(fake.url).setRecords([as("new.example.com", "203.0.113.60")], opts()))[0]).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(writes);
  });

  it("leaves a set no owner TXT of its owner claims exactly as it is, and says how to hand it over", async () => {
    fake.edit("hand.example.com", "A", ["192.0.2.9"]);
    const [r] = await ssProvider(fake.url).setRecords([as("hand.example.com", "203.0.113.61")], opts());
    expect(r).toMatchObject({ ok: false, kind: "config" });
    if (r && !r.ok) expect(r.message).toContain('no owner TXT record of DDNS_OWNER_ID "site-a" at "_ddnsd-a.hand.example.com" claims it, and Spaceship replaces a whole set at once');
    expect(fake.read("hand.example.com", "A")).toEqual(["192.0.2.9"]);
    expect(fake.read("_ddnsd-a.hand.example.com", "TXT")).toEqual([]);
  });

  it("on stop deletes its set and its own owner text; another text at the owner name stays", async () => {
    const provider = ssProvider(fake.url);
    fake.edit("_ddnsd-a.gone.example.com", "TXT", ["v=keep-me"]);
    expect((await provider.setRecords([as("gone.example.com", "203.0.113.62")], opts()))[0]).toMatchObject({ ok: true, outcome: "created" });
    const [d] = await provider.deleteRecords!([as("gone.example.com", "203.0.113.62")], opts());
    expect(d).toMatchObject({ ok: true });
    expect(fake.read("gone.example.com", "A")).toEqual([]);
    expect(fake.read("_ddnsd-a.gone.example.com", "TXT")).toEqual(["v=keep-me"]);
  });
});
