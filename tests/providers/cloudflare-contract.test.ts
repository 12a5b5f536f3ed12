import { startFakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { deadPort, harness, TOKEN } from "../fakes/cloudflare/provider-harness.ts";
import { providerContract } from "./provider-contract.ts";

let setups = 0;

providerContract("cloudflare", async () => {
  const cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"] });
  const run = ++setups;
  const port = await deadPort();
  const wrong = "wrong-token-0123456789abcdefghijklmnop";
  return {
    provider: harness({ url: cf.url }).provider,
    badAuthProvider: harness({ url: cf.url, token: wrong }).provider,
    unreachableProvider: harness({ url: `http://127.0.0.1:${port}/client/v4` }).provider,
    names: [`contract-${run}-a.example.com`, `contract-${run}-b.example.com`],
    read: async (name, type) => cf.contents(name, type),
    writes: async () => cf.writes(),
    secrets: [TOKEN, wrong],
    async edit(name, type, contents) {
      for (const r of cf.records({ name, type })) cf.remove(r.id);
      for (const content of contents) cf.seed({ name, type, content });
    },
    comments: "record",
    close: () => cf.stop(),
  };
});
