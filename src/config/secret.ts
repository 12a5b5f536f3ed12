import { ConfigError } from "../errors.ts";
import type { ProviderType } from "./types.ts";

/**
 * The provider secret, from `DDNS_PROVIDER_API_TOKEN` or the file named by `DDNS_PROVIDER_API_TOKEN_FILE`
 * (Docker/Kubernetes secrets; one trailing newline trimmed). Both set and different is an error. No message here
 * ever contains the secret itself.
 */
export function readSecret(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string,
  providerType: ProviderType,
): string {
  const direct = env.DDNS_PROVIDER_API_TOKEN?.trim() || undefined;
  const path = env.DDNS_PROVIDER_API_TOKEN_FILE?.trim() || undefined;
  let fromFile: string | undefined;
  if (path !== undefined) {
    try {
      fromFile = readFile(path).replace(/\r?\n$/, "");
    } catch (error) {
      const code = (error as { code?: string }).code;
      const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : "unreadable";
      throw new ConfigError("DDNS_PROVIDER_API_TOKEN_FILE", `DDNS_PROVIDER_API_TOKEN_FILE could not be read: ${JSON.stringify(path)} (${why}).`);
    }
    if (fromFile.trim() === "") {
      throw new ConfigError("DDNS_PROVIDER_API_TOKEN_FILE", `DDNS_PROVIDER_API_TOKEN_FILE names an empty file: ${JSON.stringify(path)}.`);
    }
  }
  if (direct !== undefined && fromFile !== undefined && direct !== fromFile) {
    throw new ConfigError(
      "DDNS_PROVIDER_API_TOKEN_FILE",
      "DDNS_PROVIDER_API_TOKEN_FILE and DDNS_PROVIDER_API_TOKEN are both set and differ; set only one of them.",
    );
  }
  const token = fromFile ?? direct;
  const variable = fromFile !== undefined ? "DDNS_PROVIDER_API_TOKEN_FILE" : "DDNS_PROVIDER_API_TOKEN";
  if (token === undefined) throw new ConfigError("DDNS_PROVIDER_API_TOKEN", "DDNS_PROVIDER_API_TOKEN is required.");
  if (/\s/.test(token)) {
    throw new ConfigError(variable, `${variable} contains white space; a provider secret is a single word (check for a pasted line break).`);
  }
  // A base64 text whose length leaves 1 character over (mod 4) cannot be decoded; the provider would refuse it at start.
  if (providerType === "rfc2136" && (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 === 1)) {
    throw new ConfigError(variable, `${variable} must be the base64 TSIG secret when DDNS_PROVIDER_TYPE=rfc2136 (it is not valid base64).`);
  }
  return token;
}
