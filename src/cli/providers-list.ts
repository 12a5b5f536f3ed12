import type { VariableSpec } from "../providers/kit/descriptor.ts";
import { PROVIDERS } from "../providers/registry.ts";

/**
 * `ddnsd providers`: one line per provider id — the id, the service's name, and its variables (required ones,
 * secrets, defaults) — straight from the descriptors, so a provider is listed the moment it exists.
 */
function describeVariable(v: VariableSpec): string {
  const notes = [v.secret ? "secret, or _FILE" : undefined, v.required ? "required" : undefined, v.default !== undefined ? `default ${v.default}` : undefined, v.fallbacks.length ? `or ${v.fallbacks.join(", ")}` : undefined].filter(Boolean);
  return notes.length ? `${v.name} (${notes.join("; ")})` : v.name;
}

export function providerLines(): string[] {
  const width = Math.max(...PROVIDERS.map((d) => d.id.length));
  return PROVIDERS.map((d) => `${d.id.padEnd(width)}  ${d.name}: ${d.variables.map(describeVariable).join(", ")}`);
}
