import { describe, expect, it } from "bun:test";
import { harness } from "./fakes.ts";
import { parseIpv6Suffix, type Ipv6Suffix } from "../../src/core/ipv6-suffix.ts";
import { checkPublishable } from "../../src/core/address-rules.ts";

function suffix(text: string, prefixLength = 64): Ipv6Suffix {
  const parsed = parseIpv6Suffix(text, prefixLength);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

// A Teredo address (2001:0::/32): server 192.0.2.1, client 203.0.113.5 (stored inverted in the last 32 bits).
const TEREDO = "2001:0:c000:201::34ff:8efa";
// The inverse of 10.0.0.1: a suffix that turns the Teredo client into a private address.
const PRIVATE_CLIENT = "::f5ff:fffe";

describe("rounds with ipv6_suffix records", () => {
  const records = ["home.example.com", "nas.example.com", "printer.example.com"];
  const options = { "nas.example.com": { ipv6Suffix: suffix("::11:22ff:fe33:4455") }, "printer.example.com": { ipv6Suffix: suffix("mac(aa:bb:cc:dd:ee:ff)") } };

  it("publishes each AAAA as the detected prefix + its own suffix; A records keep the detected address", async () => {
    const h = harness({ records, families: [4, 6], options });
    h.src.set(6, "2001:db8:1:2::99");
    await h.reconciler.init();
    expect((await h.reconciler.runRound("startup", h.signal)).confirmed).toBe(true);
    expect(Object.fromEntries(h.prov.records)).toEqual({
      "home.example.com/A": "203.0.113.1",
      "nas.example.com/A": "203.0.113.1",
      "printer.example.com/A": "203.0.113.1",
      "home.example.com/AAAA": "2001:db8:1:2::99",
      "nas.example.com/AAAA": "2001:db8:1:2:11:22ff:fe33:4455",
      "printer.example.com/AAAA": "2001:db8:1:2:a8bb:ccff:fedd:eeff",
    });
  });

  it("moves every derived record in the round that sees the new prefix, in one provider call", async () => {
    const h = harness({ records, families: [6], options });
    h.src.set(6, "2001:db8:1:2::99");
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    const calls = h.prov.calls();
    h.src.set(6, "2001:db8:7:8::99");
    expect((await h.reconciler.runRound("poll", h.signal)).confirmed).toBe(true);
    expect(h.prov.calls()).toBe(calls + 1);
    expect(h.prov.records.get("nas.example.com/AAAA")).toBe("2001:db8:7:8:11:22ff:fe33:4455");
    expect(h.prov.records.get("printer.example.com/AAAA")).toBe("2001:db8:7:8:a8bb:ccff:fedd:eeff");
    expect(h.log.lines).toContain("INFO Updated AAAA record nas.example.com: 2001:db8:1:2:11:22ff:fe33:4455 → 2001:db8:7:8:11:22ff:fe33:4455");
  });

  it("makes no call when the interface identifier of the detected address changes but its prefix does not", async () => {
    const h = harness({ records: ["nas.example.com"], families: [6], options });
    h.src.set(6, "2001:db8:1:2::99");
    await h.reconciler.init();
    await h.reconciler.runRound("startup", h.signal);
    const calls = h.prov.calls();
    h.src.set(6, "2001:db8:1:2::abcd"); // a new privacy address, same /64
    await h.reconciler.runRound("poll", h.signal);
    expect(h.prov.calls()).toBe(calls);
  });

  it("does not publish a derived address the publishing rules refuse, and says so once", async () => {
    expect(checkPublishable(TEREDO, 6, { allowPrivate: false }).ok).toBe(true);
    const h = harness({ records: ["home.example.com", "cam.example.com"], families: [6], options: { "cam.example.com": { ipv6Suffix: suffix(PRIVATE_CLIENT) } } });
    h.src.set(6, TEREDO);
    await h.reconciler.init();
    const report = await h.reconciler.runRound("startup", h.signal);
    await h.reconciler.runRound("poll", h.signal);
    expect(report.confirmed).toBe(false);
    expect(Object.fromEntries(h.prov.records)).toEqual({ "home.example.com/AAAA": TEREDO });
    const line =
      'WARN Not publishing the AAAA of "cam.example.com" (detected prefix + ipv6_suffix=::f5ff:fffe): "2001:0:c000:201::f5ff:fffe" is a Teredo address whose client address 10.0.0.1 is a private (RFC 1918) address: it cannot be published; the record is left alone until the prefix changes';
    expect(h.log.lines.filter((l) => l === line)).toHaveLength(1);
    expect(h.status.getRecord({ target: "test", name: "cam.example.com", type: "AAAA" })).toMatchObject({ state: "failing" });
  });

  it("publishes that derived address with DDNS_ALLOW_PRIVATE_ADDRESSES=true", async () => {
    const h = harness({ records: ["cam.example.com"], families: [6], allowPrivate: true, options: { "cam.example.com": { ipv6Suffix: suffix(PRIVATE_CLIENT) } } });
    h.src.set(6, TEREDO);
    await h.reconciler.init();
    expect((await h.reconciler.runRound("startup", h.signal)).confirmed).toBe(true);
    expect(h.prov.records.get("cam.example.com/AAAA")).toBe("2001:0:c000:201::f5ff:fffe");
  });
});
