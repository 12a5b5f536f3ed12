import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { CF_TOKEN, PASSWORD, startWorker, USER, type WorkerUnderTest } from "./worker-harness.ts";

/**
 * src/worker.ts in workerd with ipv6_suffix records (docs/ipv6-suffixes.md): a router pushes its own address, the
 * Worker writes the NAS's AAAA as the pushed /56 prefix + the NAS's suffix, and answers nochg by that derived address.
 */
let w: WorkerUnderTest;
beforeAll(async () => {
  w = await startWorker({ DDNS_RECORDS: "home.example.com,nas.example.com{ipv6_suffix=::11:22ff:fe33:4455}", DDNS_IPV6_PREFIX_LENGTH: "56" });
}, 60_000);
afterAll(async () => {
  const output = w.output.join("\n");
  await w.stop();
  expect(output).not.toContain(CF_TOKEN);
  expect(output).not.toContain(PASSWORD);
});

const update = (query: string) => w.dispatch(`/nic/update?${query}`, { auth: [USER, PASSWORD], ip: "198.51.100.10" });

describe("the Worker with an ipv6_suffix record", () => {
  it("writes the pushed prefix + the suffix, answers nochg within the same prefix, good for a new one", async () => {
    expect(await update("hostname=nas.example.com&myip=2001:db8:1:2::9")).toMatchObject({ status: 200, body: "good 2001:db8:1:2::9\n" });
    // The /56 keeps 2001:db8:1:0 and takes the low byte of the subnet id (00) from the suffix.
    expect(w.cf.contents("nas.example.com", "AAAA")).toEqual(["2001:db8:1:0:11:22ff:fe33:4455"]);
    expect(w.cf.contents("home.example.com", "AAAA")).toEqual([]);
    expect(await update("hostname=nas.example.com&myip=2001:db8:1:3::5")).toMatchObject({ status: 200, body: "nochg 2001:db8:1:3::5\n" });
    expect(await update("hostname=nas.example.com&myip=2001:db8:2:2::9")).toMatchObject({ status: 200, body: "good 2001:db8:2:2::9\n" });
    expect(w.cf.contents("nas.example.com", "AAAA")).toEqual(["2001:db8:2:0:11:22ff:fe33:4455"]);
  });
});
