import type { Catalogue } from "../providers/kit/catalogue.ts";
import { closest } from "./closest.ts";
import { providerVariableDocs, VARIABLE_DOCS } from "./variable-docs.ts";

/**
 * Every variable ddnsd reads — the documented ones and each provider's own, from the descriptors; anything else
 * starting with `DDNS_` is most likely a typo and gets a warning.
 */
export function knownVariables(providers: Catalogue): string[] {
  return [...VARIABLE_DOCS, ...providerVariableDocs(providers)].map((d) => d.name);
}

export function unknownVariableWarnings(env: Record<string, string | undefined>, providers: Catalogue): string[] {
  const known = knownVariables(providers);
  const set = new Set(known);
  const warnings: string[] = [];
  for (const name of Object.keys(env)) {
    if (!name.startsWith("DDNS_") || set.has(name)) continue;
    const hint = closest(name, known);
    warnings.push(`Unknown variable ${name} is ignored${hint ? `; did you mean ${hint}?` : ""}`);
  }
  return warnings;
}

/**
 * A configuration error as printed on stderr: `Configuration error: …`, then the unknown-variable warnings, since a
 * mistyped name (`DDNS_RECRDS`) is often the reason something is missing (`DDNS_RECORDS is required.`).
 */
export function configErrorLines(message: string, env: Record<string, string | undefined>, providers: Catalogue): string[] {
  return [`Configuration error: ${message}`, ...unknownVariableWarnings(env, providers).map((w) => `warning: ${w}`)];
}
