import { describe, expect, it } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROVIDERS } from "../../src/providers/registry.ts";
import { END, providerTable, README, START, withProviderTable } from "../../scripts/provider-table.ts";

/** README.md's providers table is what the descriptors say; `bun scripts/provider-table.ts` rewrites it. */
const ROOT = join(import.meta.dir, "..", "..");
const readme = readFileSync(README, "utf8");
const block = (text: string) => text.slice(text.indexOf(START) + START.length, text.indexOf(END)).trim().split("\n");

describe("the README's providers table", () => {
  it("lists every provider of the registry as its descriptor describes it (run `bun scripts/provider-table.ts` when this fails)", () => {
    expect(block(readme)).toEqual(providerTable(PROVIDERS));
  });

  it("links a page that exists for every provider", () => {
    expect(PROVIDERS.filter((d) => !existsSync(join(ROOT, d.docs))).map((d) => d.docs)).toEqual([]);
  });

  it("is seen stale when a provider is missing from it, and rewritten in place", () => {
    const stale = withProviderTable(readme, providerTable(PROVIDERS.slice(0, -1)));
    expect(block(stale)).not.toEqual(providerTable(PROVIDERS));
    const fixed = withProviderTable(stale, providerTable(PROVIDERS));
    expect(fixed).toBe(withProviderTable(readme, providerTable(PROVIDERS)));
    expect(fixed.length - fixed.indexOf(END)).toBe(readme.length - readme.indexOf(END));
  });

  it("refuses a README without the markers", () => {
    expect(() => withProviderTable("# ddnsd\n", providerTable(PROVIDERS))).toThrow(`README.md needs the markers ${START} and ${END}, in that order`);
  });
});
