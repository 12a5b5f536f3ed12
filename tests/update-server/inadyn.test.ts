import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assertNoSecretLeaked } from "../blackbox/harness.ts";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { inadyn } from "./clients.ts";
import { PASSWORD, startPushDaemon, TOKEN, USER, type PushDaemon } from "./push-daemon.ts";

/**
 * docs/edge.md's inadyn recipe (what UniFi gateways and many routers run), with Debian's inadyn against
 * `dist/ddnsd` in push mode over plain HTTP on loopback: `ssl = false`, the server as `host:port`.
 */
let cf: FakeCloudflare;
let d: PushDaemon;
beforeAll(async () => {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"] });
  d = await startPushDaemon(cf.url);
});
afterAll(async () => {
  expect(await d.stop()).toBe(0);
  await cf.stop();
  assertNoSecretLeaked();
});

describe("inadyn (custom provider, the recipe in docs/edge.md)", () => {
  const run = (password: string, ips: string[]) => inadyn({ server: `127.0.0.1:${d.port}`, username: USER, password, hostname: "home.example.com", ips });

  it("pushes the address: good, every record updated, the update logged", async () => {
    const r = await run(PASSWORD, ["203.0.113.44"]);
    expect({ code: r.code, verdicts: r.verdicts }, r.output).toEqual({ code: 0, verdicts: ["Successful alias table update for home.example.com => new IP# 203.0.113.44"] });
    expect([cf.contents("home.example.com", "A"), cf.contents("www.example.com", "A")]).toEqual([["203.0.113.44"], ["203.0.113.44"]]);
    await d.daemon.waitForLine("Update from 127.0.0.1: home.example.com: good 203.0.113.44");
  }, 70_000);

  it("the recipe exactly as docs/edge.md prints it (server, password and address filled in)", async () => {
    const doc = readFileSync(join(import.meta.dir, "..", "..", "docs", "edge.md"), "utf8");
    const recipe = /\n(period = 300\ncustom ddnsd \{\n[\s\S]*?\n\})\n/.exec(doc)?.[1];
    expect(recipe).toBeDefined();
    const config = recipe!
      .replace("192.168.1.10:8080", `127.0.0.1:${d.port}`)
      .replace("the-router-password", PASSWORD)
      .replace(/# checkip-command = .*/, 'checkip-command = "echo 203.0.113.43"');
    expect(config).toContain(`ddns-server = 127.0.0.1:${d.port}`);
    const r = await inadyn({ server: "", username: "", password: "", hostname: "", ips: [], config });
    expect({ code: r.code, verdicts: r.verdicts }, r.output).toEqual({ code: 0, verdicts: ["Successful alias table update for home.example.com => new IP# 203.0.113.43"] });
    expect(cf.contents("home.example.com", "A")).toEqual(["203.0.113.43"]);
  }, 70_000);

  it("IPv6 in a section of its own (myipv6=%i, allow-ipv6)", async () => {
    const r = await run(PASSWORD, ["203.0.113.44", "2001:db8::44"]);
    expect(r.verdicts.toSorted(), r.output).toEqual([
      "Successful alias table update for home.example.com => new IP# 2001:db8::44",
      "Successful alias table update for home.example.com => new IP# 203.0.113.44",
    ]);
    expect([cf.contents("www.example.com", "A"), cf.contents("www.example.com", "AAAA")]).toEqual([["203.0.113.44"], ["2001:db8::44"]]);
  }, 70_000);

  it("a wrong password: inadyn reports an authentication failure, the daemon logs it, the records stay", async () => {
    const r = await run("not-the-password", ["203.0.113.45"]);
    expect(r.verdicts, r.output).toEqual(["Error code 50: Authentication failure"]);
    expect(cf.contents("home.example.com", "A")).toEqual(["203.0.113.44"]);
    await d.daemon.waitForLine("Update endpoint: refused a login from 127.0.0.1: wrong credentials (failure 1 of 3");
  }, 70_000);
});
