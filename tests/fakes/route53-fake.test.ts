import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { AwsClient } from "aws4fetch";
import { startFakeRoute53, type FakeRoute53 } from "./route53/fake-route53.ts";

/** The Route 53 fake refuses what AWS refuses: unsigned, tampered, stale or mis-scoped requests. */
const KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const BATCH = `<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet><Name>x.example.com.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>203.0.113.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`;

describe("the Route 53 fake", () => {
  let fake: FakeRoute53;
  beforeAll(async () => {
    fake = await startFakeRoute53({ keys: { [KEY]: { secret: SECRET } }, zones: [{ id: "Z1", name: "example.com" }] });
  });
  afterAll(() => fake.stop());
  const client = (o: { region?: string; datetime?: string } = {}) => new AwsClient({ accessKeyId: KEY, secretAccessKey: SECRET, service: "route53", region: o.region ?? "us-east-1" });
  const codeOf = async (r: Response) => ({ status: r.status, code: /<Code>(\w+)<\/Code>/.exec(await r.text())?.[1] });
  const post = (body: string) => ({ method: "POST", body, headers: { "Content-Type": "text/xml" } });

  it.each([
    { name: "an unsigned request", send: () => fetch(`${fake.url}/2013-04-01/hostedzonesbyname`), want: { status: 403, code: "MissingAuthenticationToken" } },
    {
      name: "a body changed after signing",
      send: async () => {
        const signed = await client().sign(`${fake.url}/2013-04-01/hostedzone/Z1/rrset/`, post(BATCH));
        return fetch(signed.url, { method: "POST", headers: signed.headers, body: BATCH.replace("203.0.113.1", "203.0.113.2") });
      },
      want: { status: 403, code: "SignatureDoesNotMatch" },
    },
    {
      name: "a request signed ten minutes ago",
      send: async () => {
        const stale = new Date(Date.now() - 600_000).toISOString().replace(/[:-]|\.\d{3}/g, "");
        return fetch(await client().sign(`${fake.url}/2013-04-01/hostedzonesbyname`, { aws: { datetime: stale } }));
      },
      want: { status: 403, code: "SignatureDoesNotMatch" },
    },
    { name: "another region's scope", send: async () => fetch(await client({ region: "eu-west-1" }).sign(`${fake.url}/2013-04-01/hostedzonesbyname`)), want: { status: 403, code: "SignatureDoesNotMatch" } },
    { name: "an unknown element in a change batch", send: async () => fetch(await client().sign(`${fake.url}/2013-04-01/hostedzone/Z1/rrset/`, post(BATCH.replace("<TTL>", "<Weight>1</Weight><TTL>")))), want: { status: 400, code: "InvalidInput" } },
  ])("refuses $name", async ({ send, want }) => {
    expect(await codeOf(await send())).toEqual(want);
    expect(fake.read("x.example.com", "A")).toEqual([]);
  });

  it("accepts a correctly signed change and applies it", async () => {
    const r = await fetch(await client().sign(`${fake.url}/2013-04-01/hostedzone/Z1/rrset/`, post(BATCH)));
    expect(r.status).toBe(200);
    expect(fake.read("x.example.com", "A")).toEqual(["203.0.113.1"]);
  });
});
