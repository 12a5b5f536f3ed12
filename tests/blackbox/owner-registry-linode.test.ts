import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, runBinary, spawnDaemon, type Daemon } from "./harness.ts";
import { until } from "./world.ts";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";
import { startFakeLinode, type FakeLinode } from "../fakes/linode/fake-linode.ts";

/**
 * The owner registry (DDNS_OWNER_ID) on the record template with no provider code of its own, seen from outside:
 * dist/ddnsd against the Linode fake. Two owners share one name over many rounds; adoption (DDNS_OWNER_ADOPT) of a
 * record from before; the owner TXT of a duplicate ddnsd deletes goes with it.
 */
setDefaultTimeout(60_000);
const TOKEN = `linode-owner-${process.pid}-s3cr3t`;
let linode: FakeLinode;
let siteA: IpEchoServer;
let siteB: IpEchoServer;
const running: Daemon[] = [];
beforeAll(async () => {
  linode = await startFakeLinode({ tokens: { [TOKEN]: "all" }, zones: ["example.com"] });
  siteA = startIpEcho({ v4: "203.0.113.7" });
  siteB = startIpEcho({ v4: "198.51.100.8" });
});
beforeEach(() => {
  for (const r of linode.store.records("example.com")) linode.store.remove(r.id);
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
afterAll(async () => {
  await Promise.all([linode.stop(), siteA.stop(), siteB.stop()]);
  assertNoSecretLeaked();
});

const env = (owner: "a" | "b", extra: Record<string, string> = {}) => ({
  DDNS_PROVIDER_TYPE: "linode",
  DDNS_PROVIDER_API_TOKEN: TOKEN,
  DDNS_PROVIDER_API_URL: linode.url,
  DDNS_RECORDS: "home.example.com",
  DDNS_IP_VERSIONS: "4",
  DDNS_IP_SOURCE_URLS_V4: `${(owner === "a" ? siteA : siteB).url}/v4`,
  DDNS_HTTP_ADDR: "off",
  DDNS_POLL_INTERVAL: "1s",
  DDNS_VERIFY_INTERVAL: "1s",
  DDNS_OWNER_ID: owner,
  ...extra,
});
const add = (name: string, type: string, content: string) => linode.store.add({ zone: "example.com", name, type, content, ttl: 300, extra: {} });
const aRecords = () => linode.store.find("example.com", "home.example.com", "A").map((r) => ({ id: r.id, content: r.content })).sort((x, y) => x.content.localeCompare(y.content));
const owners = () => linode.store.find("example.com", "_ddnsd-a.home.example.com", "TXT").map((r) => r.content).sort();
const writes = () => linode.requests.filter((r) => r.method !== "GET");
const idOf = (content: string) => aRecords().find((r) => r.content === content)?.id;

describe("two daemons with DDNS_OWNER_ID a and b on one Linode name", () => {
  it("each keeps its own record and owner TXT; over many rounds neither writes again", async () => {
    running.push(spawnDaemon(["run"], env("a"), [TOKEN]), spawnDaemon(["run"], env("b"), [TOKEN]));
    await until(owners, (o) => o.length === 2, 15_000, "both owner records");
    expect(aRecords().map((r) => r.content)).toEqual(["198.51.100.8", "203.0.113.7"]);
    expect(owners()).toEqual([`heritage=ddnsd,owner=a,record=${idOf("203.0.113.7")}`, `heritage=ddnsd,owner=b,record=${idOf("198.51.100.8")}`].sort());
    const settled = aRecords();
    const writesBefore = writes().length;
    const readsBefore = linode.requests.length;
    await until(() => linode.requests.length, (n) => n >= readsBefore + 24, 20_000, "many rounds of re-reads by both daemons");
    expect(aRecords()).toEqual(settled);
    expect(writes().length).toBe(writesBefore);
  });
});

describe("adoption (DDNS_OWNER_ADOPT) on Linode", () => {
  it("adopts a record no owner TXT names: writes its TXT, updates it in place, says so once", async () => {
    const old = add("home.example.com", "A", "192.0.2.1");
    const first = await runBinary(["once"], env("a", { DDNS_OWNER_ADOPT: "true" }));
    expect(first.code).toBe(0);
    expect(first.lines).toContain('INFO Adopted the A record home.example.com (192.0.2.1) for DDNS_OWNER_ID "a"');
    expect(aRecords()).toEqual([{ id: old.id, content: "203.0.113.7" }]);
    expect(owners()).toEqual([`heritage=ddnsd,owner=a,record=${old.id}`]);
    const second = await runBinary(["once"], env("a", { DDNS_OWNER_ADOPT: "true" }));
    expect(second.lines.filter((l) => l.includes("Adopted"))).toEqual([]);
  });

  it("never adopts a record another owner's TXT names: creates its own beside it", async () => {
    const theirs = add("home.example.com", "A", "192.0.2.1");
    add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=b,record=${theirs.id}`);
    const r = await runBinary(["once"], env("a", { DDNS_OWNER_ADOPT: "true" }));
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => l.includes("Adopted"))).toEqual([]);
    expect(aRecords().map((x) => x.content)).toEqual(["192.0.2.1", "203.0.113.7"]);
    expect(linode.store.byId(theirs.id)?.content).toBe("192.0.2.1");
  });
});

describe("owner TXT cleanup on Linode", () => {
  it("deletes a duplicate of its own together with the owner TXT naming it; another owner's TXT stays", async () => {
    const keep = add("home.example.com", "A", "203.0.113.7");
    const duplicate = add("home.example.com", "A", "198.51.100.1");
    const theirs = add("home.example.com", "A", "192.0.2.9");
    add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=a,record=${keep.id}`);
    add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=a,record=${duplicate.id}`);
    add("_ddnsd-a.home.example.com", "TXT", `heritage=ddnsd,owner=b,record=${theirs.id}`);
    add("_ddnsd-a.home.example.com", "TXT", "heritage=ddnsd,owner=b,record=999999");
    const r = await runBinary(["once"], env("a"));
    expect(r.code).toBe(0);
    expect(aRecords()).toEqual([{ id: theirs.id, content: "192.0.2.9" }, { id: keep.id, content: "203.0.113.7" }]);
    expect(owners()).toEqual([`heritage=ddnsd,owner=a,record=${keep.id}`, `heritage=ddnsd,owner=b,record=${theirs.id}`, "heritage=ddnsd,owner=b,record=999999"].sort());
  });
});

describe("DDNS_DELETE_ON_STOP with DDNS_OWNER_ID on Linode", () => {
  it("on SIGTERM deletes its record and the owner TXT naming it; the other owner's record and TXT stay", async () => {
    running.push(spawnDaemon(["run"], env("b"), [TOKEN]));
    await until(owners, (o) => o.length === 1, 15_000, "b's owner record");
    const a = spawnDaemon(["run"], env("a", { DDNS_DELETE_ON_STOP: "true" }), [TOKEN]);
    running.push(a);
    await until(owners, (o) => o.length === 2, 15_000, "a's owner record");
    await a.waitForLine("Ready to monitor IP changes");
    a.kill("SIGTERM");
    expect(await a.exited(15_000)).toBe(0);
    expect(a.lines).toContain("INFO Deleted A record home.example.com (203.0.113.7)");
    expect(aRecords().map((r) => r.content)).toEqual(["198.51.100.8"]);
    expect(owners()).toEqual([`heritage=ddnsd,owner=b,record=${idOf("198.51.100.8")}`]);
  });
});
