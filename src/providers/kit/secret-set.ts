import { createRedactor } from "../../log/redact.ts";

/**
 * The secrets one provider's HTTP client redacts from everything it hands back (http-client.ts, redact-answer.ts):
 * the configured ones, fixed at start, and the ones the provider learns at run time — the token a sign-in buys
 * (TransIP's JWT, an OAuth access token), a session id a login opens (netcup). A service that echoes the
 * `Authorization` header or the session id in an error body then shows `[REDACTED]` in the failure, the log line and
 * /status, exactly as for a configured token. Give the set to the clients that send the token, and learn it when
 * the sign-in answers. Not to the sign-in's own client: a sign-in service may hand out a token it gave before
 * (Entra ID's token cache), and an answer redacted of it would leave "[REDACTED]" where the token was.
 *
 *   const secrets = createSecretSet([s.pem, s.login]);
 *   const signIn = createRestApi(deps, { service: "TransIP", baseUrl, secrets: [s.pem, s.login] });
 *   const api = createRestApi(deps, { service: "TransIP", baseUrl, secrets });
 *   secrets.learn(token); // from now on, every answer of `api` is redacted of it too
 *
 * Learned secrets are kept for a while after they are replaced (a revoked token can still be echoed), but not for
 * ever: the most recent `LEARNED_KEPT` of them, so a daemon that signs in every half hour for a year does not scan
 * every answer for thousands of expired tokens.
 */
export interface SecretSet {
  /** A secret learned at run time: every text redacted after this call is redacted of it too. */
  learn(secret: string): void;
  redact(text: string): string;
}

/** Learned secrets kept: far more than one sign-in's lifetime needs (a token is replaced every 30 to 60 minutes). */
export const LEARNED_KEPT = 8;

export function createSecretSet(configured: readonly string[]): SecretSet {
  const fixed = [...configured];
  let learned: string[] = [];
  let redact = createRedactor(fixed);
  return {
    learn(secret) {
      if (secret === "" || learned.includes(secret) || fixed.includes(secret)) return;
      learned = [...learned, secret].slice(-LEARNED_KEPT);
      redact = createRedactor([...fixed, ...learned]);
    },
    redact: (text) => redact(text),
  };
}

/** A client's `secrets` option: a fixed list, or a set that learns. */
export type Secrets = readonly string[] | SecretSet;

const isSecretSet = (secrets: Secrets): secrets is SecretSet => !Array.isArray(secrets);

export const toSecretSet = (secrets: Secrets | undefined): SecretSet => (secrets === undefined ? createSecretSet([]) : isSecretSet(secrets) ? secrets : createSecretSet(secrets));
