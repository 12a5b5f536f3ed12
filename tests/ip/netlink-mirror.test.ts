import { describe, expect, it } from "bun:test";
import { createKernelMirror } from "../../src/ip/netlink/mirror.ts";
import { parseMessages } from "../../src/ip/netlink/parse.ts";
import { addressMessage, concatBytes, linkMessage } from "../netns/messages.ts";

const events = (...parts: Uint8Array[]) => parseMessages(concatBytes(...parts)).events;
const texts = (mirror: ReturnType<typeof createKernelMirror>, name: string, family: 4 | 6) =>
  mirror.addresses(name, family).map((a) => a.address).sort();

describe("the kernel-state mirror", () => {
  it("finds IPv6 addresses (no IFA_LABEL) through the index → name map", () => {
    const mirror = createKernelMirror();
    mirror.replace(events(linkMessage({ index: 2, name: "eth0" }), addressMessage({ index: 2, address: "2001:db8::1" })), 0);
    expect(mirror.loaded).toBe(true);
    expect(texts(mirror, "eth0", 6)).toEqual(["2001:db8::1"]);
    expect(texts(mirror, "eth1", 6)).toEqual([]);
  });

  it("applies RTM_DELADDR for the same address and prefix only", () => {
    const mirror = createKernelMirror();
    mirror.replace(events(linkMessage({ index: 2, name: "eth0" }), addressMessage({ index: 2, address: "192.0.2.1", prefixLen: 24 }), addressMessage({ index: 2, address: "192.0.2.1", prefixLen: 32 })), 0);
    mirror.apply(events(addressMessage({ op: "del", index: 2, address: "192.0.2.1", prefixLen: 32 })), 0);
    expect(mirror.addresses("eth0", 4).map((a) => a.prefixLen)).toEqual([24]);
  });

  it("replaces an address's flags when the kernel updates it (DAD finished)", () => {
    const mirror = createKernelMirror();
    mirror.replace(events(linkMessage({ index: 2, name: "eth0" }), addressMessage({ index: 2, address: "2001:db8::1", flags: 0x40 })), 0);
    mirror.apply(events(addressMessage({ index: 2, address: "2001:db8::1", flags: 0x80 })), 0);
    expect(mirror.addresses("eth0", 6).map((a) => a.flags)).toEqual([0x80]);
  });

  it("follows an interface recreated with a new index, dropping the old one's addresses", () => {
    const mirror = createKernelMirror();
    mirror.replace(events(linkMessage({ index: 5, name: "ppp0" }), addressMessage({ index: 5, address: "203.0.113.1" })), 0);
    mirror.apply(events(linkMessage({ op: "del", index: 5, name: "ppp0" })), 0);
    expect(mirror.indexOf("ppp0")).toBeUndefined();
    mirror.apply(events(linkMessage({ index: 9, name: "ppp0" }), addressMessage({ index: 9, address: "203.0.113.2" })), 0);
    expect(mirror.indexOf("ppp0")).toBe(9);
    expect(texts(mirror, "ppp0", 4)).toEqual(["203.0.113.2"]);
  });

  it("drops a stale index when another link takes its name without a DELLINK seen", () => {
    const mirror = createKernelMirror();
    mirror.replace(events(linkMessage({ index: 5, name: "wg0" }), addressMessage({ index: 5, address: "203.0.113.1" })), 0);
    mirror.apply(events(linkMessage({ index: 6, name: "wg0" })), 0);
    expect(mirror.indexOf("wg0")).toBe(6);
    expect(texts(mirror, "wg0", 4)).toEqual([]);
  });

  it("follows a rename", () => {
    const mirror = createKernelMirror();
    mirror.replace(events(linkMessage({ index: 3, name: "eth0" }), addressMessage({ index: 3, address: "192.0.2.8" })), 0);
    mirror.apply(events(linkMessage({ index: 3, name: "wan" })), 0);
    expect(mirror.indexOf("eth0")).toBeUndefined();
    expect(texts(mirror, "wan", 4)).toEqual(["192.0.2.8"]);
  });

  it("forgets everything a dump does not list", () => {
    const mirror = createKernelMirror();
    mirror.replace(events(linkMessage({ index: 2, name: "eth0" }), addressMessage({ index: 2, address: "192.0.2.1" })), 0);
    mirror.replace(events(linkMessage({ index: 2, name: "eth0" })), 0);
    expect(texts(mirror, "eth0", 4)).toEqual([]);
  });

  it("counts lifetimes down from the time the message was received", () => {
    const mirror = createKernelMirror();
    mirror.replace(events(linkMessage({ index: 2, name: "eth0" }), addressMessage({ index: 2, address: "2001:db8::1", preferredLft: 100, validLft: 200 })), 1_000);
    expect(mirror.candidates("eth0", 6, 31_000)).toEqual([{ address: "2001:db8::1", flags: 0, preferredSeconds: 70, validSeconds: 170 }]);
    expect(mirror.candidates("eth0", 6, 500_000)[0]).toMatchObject({ preferredSeconds: 0, validSeconds: 0 });
  });
});
