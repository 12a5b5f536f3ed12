/**
 * `bun scripts/provider-table.ts`: rewrites the providers table in README.md — the block between
 * `<!-- providers:start -->` and `<!-- providers:end -->` — from the provider descriptors (src/providers/registry.ts),
 * so the README lists exactly the providers ddnsd has. tests/meta/provider-table.test.ts fails when the block is
 * stale; run this script after adding a provider.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProviderDescriptor } from "../src/providers/kit/descriptor.ts";
import { PROVIDERS } from "../src/providers/registry.ts";

export const START = "<!-- providers:start -->";
export const END = "<!-- providers:end -->";
export const README = join(import.meta.dir, "..", "README.md");

const yesNo = (value: boolean) => (value ? "yes" : "no");

/** The table's lines, one row per descriptor, in the registry's order. */
export function providerTable(descriptors: readonly ProviderDescriptor<unknown>[]): string[] {
  return [
    "| `DDNS_PROVIDER_TYPE` | service | reads records back | comments | owner registry | page |",
    "|---|---|---|---|---|---|",
    ...descriptors.map((d) => `| \`${d.id}\` | ${d.name.replaceAll("|", "\\|")} | ${yesNo(d.capabilities.read)} | ${yesNo(d.capabilities.comments)} | ${yesNo(d.capabilities.ownerRegistry ?? false)} | [${d.docs}](${d.docs}) |`),
  ];
}

/** `readme` with the block between the markers replaced by `table`; an error when the markers are missing. */
export function withProviderTable(readme: string, table: readonly string[]): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}, in that order`);
  return `${readme.slice(0, start + START.length)}\n${table.join("\n")}\n${readme.slice(end)}`;
}

if (import.meta.main) {
  const before = readFileSync(README, "utf8");
  const after = withProviderTable(before, providerTable(PROVIDERS));
  if (after !== before) writeFileSync(README, after);
  console.log(after === before ? "README.md: the providers table is up to date" : `README.md: the providers table now lists ${PROVIDERS.length} providers`);
}
