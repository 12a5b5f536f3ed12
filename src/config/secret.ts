import { ConfigError } from "../core/errors.ts";
import type { ProviderType } from "./types.ts";
import { quotedSecretWarning, readSecretVariable, type SecretFileReader } from "./secret-file.ts";

/**
 * The provider secret, from `DDNS_PROVIDER_API_TOKEN` or the file named by `DDNS_PROVIDER_API_TOKEN_FILE`
 * (secret-file.ts: the rules every secret shares). No message here ever contains the secret itself.
 */
export function readSecret(
  env: Record<string, string | undefined>,
  readFile: SecretFileReader,
  providerType: ProviderType,
): { token: string; warnings: string[] } {
  const secret = readSecretVariable(env, readFile, "DDNS_PROVIDER_API_TOKEN");
  if (secret === undefined) throw new ConfigError("DDNS_PROVIDER_API_TOKEN", "DDNS_PROVIDER_API_TOKEN is required.");
  const { value: token, variable } = secret;
  if (/\s/.test(token)) {
    throw new ConfigError(variable, `${variable} contains white space; a provider secret is a single word (check for a pasted line break).`);
  }
  const quoted = quotedSecretWarning(secret);
  // A base64 text whose length leaves 1 character over (mod 4) cannot be decoded; the provider would refuse it at start.
  if (providerType === "rfc2136" && (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 === 1)) {
    const hint = quoted ? "; it begins and ends with a quote: remove the quotes" : "";
    throw new ConfigError(variable, `${variable} must be the base64 TSIG secret when DDNS_PROVIDER_TYPE=rfc2136 (it is not valid base64${hint}).`);
  }
  return { token, warnings: quoted ? [quoted] : [] };
}
