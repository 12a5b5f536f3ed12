import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, runBinary, spawnDaemon, type Daemon } from "./harness.ts";
import { until } from "./world.ts";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";
import { startFakeDigitalOcean, type FakeDigitalOcean } from "../fakes/digitalocean/fake-digitalocean.ts";

/**
 * Ownership through the TXT registry (DDNS_OWNER_ID), seen from outside: dist/ddnsd against the DigitalOcean fake,
 * whose records carry no comment. Two daemons (owners `a` and `b`) publish two addresses on one name and never write
 * each other's record; a record made by hand, with no owner TXT, is never touched.
 */
setDefaultTimeout(60_000);
const TOKEN = `dop_v1_owner-${process.pid}-s3cr3t`;
let dio: FakeDigitalOcean;
let siteA: IpEchoServer;
let siteB: IpEchoServer;
const running: Daemon[] = [];
beforeAll(async () => {
  dio = await startFakeDigitalOcean({ tokens: { [TOKEN]: "all" }, zones: ["example.com"] });
  siteA = startIpEcho({ v4: "203.0.113.7" });
  siteB = startIpEcho({ v4: "198.51.100.8" });
});
beforeEach(() => {
  for (const r of dio.store.records("example.com").filter((x) => x.type !== "NS")) dio.store.remove(r.id);
  siteA.set({ v4: "203.0.113.7" });
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
afterAll(async () => {
  await Promise.all([dio.stop(), siteA.stop(), siteB.stop()]);
  assertNoSecretLeaked();
});

const env = (owner: "a" | "b", extra: Record<string, string> = {}) => ({
  DDNS_PROVIDER_TYPE: "digitalocean",
  DDNS_PROVIDER_API_TOKEN: TOKEN,
  DDNS_PROVIDER_API_URL: dio.url,
  DDNS_RECORDS: "home.example.com",
  DDNS_IP_VERSIONS: "4",
  DDNS_IP_SOURCE_URLS_V4: `${(owner === "a" ? siteA : siteB).url}/v4`,
  DDNS_HTTP_ADDR: "off",
  DDNS_POLL_INTERVAL: "1s",
  DDNS_VERIFY_INTERVAL: "1s",
  DDNS_OWNER_ID: owner,
  ...extra,
});
const aRecords = () => dio.store.find("example.com", "home.example.com", "A").map((r) => ({ id: r.id, content: r.content })).sort((x, y) => x.content.localeCompare(y.content));
const owners = () => dio.store.find("example.com", "_ddnsd-a.home.example.com", "TXT").map((r) => r.content).sort();
const writes = () => dio.requests.filter((r) => r.method !== "GET");
const handMade = () => dio.store.add({ zone: "example.com", name: "home.example.com", type: "A", content: "192.0.2.50", ttl: 1800, extra: {} });
const idOf = (content: string) => aRecords().find((r) => r.content === content)?.id;

describe("two daemons with DDNS_OWNER_ID a and b on one name", () => {
  it("each keeps its own A record with its owner TXT; over many rounds neither writes again; the hand-made A stays", async () => {
    const hand = handMade();
    const a = spawnDaemon(["run"], env("a"), [TOKEN]);
    running.push(a, spawnDaemon(["run"], env("b"), [TOKEN]));
    await until(aRecords, (r) => r.length === 3, 15_000, "both records");
    await until(owners, (o) => o.length === 2, 15_000, "both owner records");
    expect(aRecords().map((r) => r.content)).toEqual(["192.0.2.50", "198.51.100.8", "203.0.113.7"]);
    expect(owners()).toEqual([`heritage=ddnsd,owner=a,record=${idOf("203.0.113.7")}`, `heritage=ddnsd,owner=b,record=${idOf("198.51.100.8")}`].sort());
    await a.waitForLine("INFO Leaving alone 2 record(s) beside the A record home.example.com (192.0.2.50, 198.51.100.8): no owner TXT record of DDNS_OWNER_ID names them, so they are not this daemon's");
    const settled = aRecords();
    const writesBefore = writes().length;
    const readsBefore = dio.requests.length;
    await until(() => dio.requests.length, (n) => n >= readsBefore + 16, 20_000, "re-reads of both daemons");
    expect(aRecords()).toEqual(settled);
    expect(writes().length).toBe(writesBefore);
    expect(dio.store.byId(hand.id)).toEqual(hand);
  });

  it("a new address at site a updates a's record only, in place; b's and the hand-made one are never written", async () => {
    const hand = handMade();
    running.push(spawnDaemon(["run"], env("a"), [TOKEN]), spawnDaemon(["run"], env("b"), [TOKEN]));
    await until(owners, (o) => o.length === 2, 15_000, "both owner records");
    const aId = idOf("203.0.113.7")!;
    const bId = idOf("198.51.100.8")!;
    siteA.set({ v4: "203.0.113.99" });
    await until(aRecords, (r) => r.some((x) => x.content === "203.0.113.99"), 15_000, "a's new address");
    expect(aRecords()).toEqual([{ id: hand.id, content: "192.0.2.50" }, { id: bId, content: "198.51.100.8" }, { id: aId, content: "203.0.113.99" }]);
    const touched = new Set(writes().flatMap((r) => /\/records\/(\d+)$/.exec(r.path)?.[1] ?? []));
    expect([...touched]).toEqual([aId]);
  });
});

describe("one daemon with DDNS_OWNER_ID", () => {
  it("leaves a hand-made record holding its very address alone and creates its own beside it", async () => {
    const hand = dio.store.add({ zone: "example.com", name: "home.example.com", type: "A", content: "203.0.113.7", ttl: 1800, extra: {} });
    const r = await runBinary(["once"], env("a"));
    expect(r.code).toBe(0);
    expect(aRecords().map((x) => x.content)).toEqual(["203.0.113.7", "203.0.113.7"]);
    const own = aRecords().find((x) => x.id !== hand.id)!;
    expect(owners()).toEqual([`heritage=ddnsd,owner=a,record=${own.id}`]);
    expect(dio.store.byId(hand.id)).toEqual(hand);
  });
});

describe("DDNS_OWNER_ID is checked", () => {
  it.each<{ name: string; extra: Record<string, string>; line: string }>([
    { name: "an id with a comma", extra: { DDNS_OWNER_ID: "a,b" }, line: 'Configuration error: DDNS_OWNER_ID must be 1 to 63 letters, digits, dots, underscores or hyphens, starting with a letter or digit (got "a,b"), e.g. site-a.' },
    { name: "an id too long", extra: { DDNS_OWNER_ID: "x".repeat(64) }, line: `Configuration error: DDNS_OWNER_ID must be 1 to 63 letters, digits, dots, underscores or hyphens, starting with a letter or digit (got "${"x".repeat(64)}"), e.g. site-a.` },
    { name: "together with the comment regex", extra: { DDNS_MANAGED_RECORDS_COMMENT_REGEX: "^ddnsd$" }, line: "Configuration error: DDNS_OWNER_ID and DDNS_MANAGED_RECORDS_COMMENT_REGEX cannot be combined: use the comment regex where the provider stores comments (digitalocean does not), DDNS_OWNER_ID where it does not; unset one." },
    { name: "with a provider without the registry", extra: { DDNS_PROVIDER_TYPE: "cloudflare" }, line: "Configuration error: DDNS_OWNER_ID is not supported by cloudflare (the owner TXT registry needs a provider that reads and writes TXT records beside its records; docs/ownership.md lists them); unset it, or use DDNS_RECORD_COMMENT with DDNS_MANAGED_RECORDS_COMMENT_REGEX." },
    { name: "with a write-only provider (DynDNS2 family)", extra: { DDNS_PROVIDER_TYPE: "duckdns", DDNS_RECORDS: "home.duckdns.org", DDNS_PROVIDER_API_TOKEN: "a7c4d0ad-114e-40ef-ba1d-d217904a50f2", DDNS_PROVIDER_API_URL: "" }, line: "Configuration error: DDNS_OWNER_ID cannot be used with duckdns: it sends updates without reading records back, so ddnsd cannot read owner TXT records or tell its records from others; unset it." },
    { name: "DDNS_OWNER_ADOPT without an owner id", extra: { DDNS_OWNER_ID: "", DDNS_OWNER_ADOPT: "true" }, line: "Configuration error: DDNS_OWNER_ADOPT needs DDNS_OWNER_ID: it adopts records for that owner (docs/ownership.md); set DDNS_OWNER_ID or unset DDNS_OWNER_ADOPT." },
  ])("$name: a configuration error naming the variable", async ({ extra, line }) => {
    const r = await runBinary(["check"], env("a", extra));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: [line] });
  });
});

describe("ddnsd check shows the owner settings", () => {
  it("from the environment: DDNS_OWNER_ID and DDNS_OWNER_ADOPT", async () => {
    const r = await runBinary(["check"], env("a", { DDNS_OWNER_ADOPT: "true" }));
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => l.startsWith("DDNS_OWNER_"))).toEqual(["DDNS_OWNER_ID=a", "DDNS_OWNER_ADOPT=true"]);
  });

  it("from a [[target]] table: owner_id and owner_adopt", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ddnsd-owner-check-"));
    try {
      const file = join(dir, "ddnsd.toml");
      await writeFile(file, `[[target]]\nprovider_type = "digitalocean"\nprovider_api_token = "${TOKEN}"\nrecords = ["home.example.com"]\nowner_id = "site-a"\nowner_adopt = true\n`);
      const r = await runBinary(["check"], { DDNS_CONFIG_FILE: file, DDNS_HTTP_ADDR: "off" });
      expect(r.code).toBe(0);
      expect(r.lines.filter((l) => l.startsWith("owner_"))).toEqual(['owner_id = "site-a"', 'owner_adopt = "true"']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
