import { ConfigError } from "../core/errors.ts";
import { quote } from "../core/quote.ts";
import type { Catalogue } from "../providers/kit/catalogue.ts";
import { keyOfVariable, type FileTarget } from "./config-file.ts";
import { closest } from "./closest.ts";
import { readSecretFile, readSecretVariable, type SecretFileReader, type SecretValue } from "./secret-file.ts";
import { TARGET_VARIABLES, type TargetSource } from "./targets.ts";

/**
 * Where a target's variables come from. The environment: the variables as they are. A `[[target]]` table of
 * DDNS_CONFIG_FILE: the same variables under lower-case keys, every message naming the file, the line and the key;
 * a key the target's provider does not read is an error (with the closest known key), not a silent no-op.
 */
export function envTargetSource(env: Record<string, string | undefined>, readFile: SecretFileReader): TargetSource {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };
  return { get, secret: (name) => readSecretVariable(env, readFile, name), name: (name) => name };
}

/** The keys a target of this provider may have in the file (per-target variables, the provider's, `_file` twins). */
export function allowedKeys(providerType: string | undefined, providers: Catalogue): string[] {
  const descriptor = providerType === undefined ? undefined : providers.byId(providerType.toLowerCase());
  const names = [...TARGET_VARIABLES, ...(descriptor?.variables ?? []).flatMap((v) => [v.name, ...(v.secret ? [`${v.name}_FILE`] : [])])];
  return names.map(keyOfVariable);
}

export function fileTargetSource(path: string, target: FileTarget, readFile: SecretFileReader, providers: Catalogue): TargetSource {
  const where = (variable: string) => `${quote(path)} line ${target.lineOf(variable) ?? target.line}: ${keyOfVariable(variable)}`;
  const get = (name: string) => {
    const value = target.values[name]?.trim();
    return value === "" ? undefined : value;
  };
  const allowed = allowedKeys(get("DDNS_PROVIDER_TYPE"), providers);
  if (providers.byId(get("DDNS_PROVIDER_TYPE")?.toLowerCase() ?? "")) {
    for (const variable of Object.keys(target.values)) {
      const key = keyOfVariable(variable);
      if (allowed.includes(key)) continue;
      const hint = closest(key, allowed);
      throw new ConfigError("DDNS_CONFIG_FILE", `${where(variable)} is not a setting of a ${get("DDNS_PROVIDER_TYPE")} target${hint ? `; did you mean ${hint}?` : ""} (daemon-wide settings stay in the environment).`);
    }
  }
  const secret = (name: string): SecretValue | undefined => {
    const direct = get(name);
    const file = get(`${name}_FILE`);
    const fromFile = file === undefined ? undefined : readSecretFile(where(`${name}_FILE`), file, readFile);
    if (direct !== undefined && fromFile !== undefined && direct !== fromFile) {
      throw new ConfigError("DDNS_CONFIG_FILE", `${where(`${name}_FILE`)} and ${keyOfVariable(name)} are both set and differ; set only one of them.`);
    }
    if (fromFile !== undefined) return { value: fromFile, variable: `${name}_FILE` };
    return direct === undefined ? undefined : { value: direct, variable: name };
  };
  return { get, secret, name: where };
}
