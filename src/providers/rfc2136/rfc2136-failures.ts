import type { FailureKind } from "../kit/types.ts";
import { DnsExchangeError, type SignedAnswer } from "../../dns/client.ts";
import { TSIG_ERRORS, type TsigKey } from "../../dns/tsig.ts";

/** A failed result without its request: the provider adds that. */
export interface Failure {
  ok: false;
  kind: FailureKind;
  message: string;
  unconfirmed?: boolean;
}

const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"];
export const rcodeName = (rcode: number): string => RCODES[rcode] ?? `RCODE${rcode}`;

const q = (value: string) => JSON.stringify(value);
const fail = (kind: FailureKind, message: string, unconfirmed?: boolean): Failure =>
  unconfirmed ? { ok: false, kind, message, unconfirmed } : { ok: false, kind, message };

/** Where the provider talks, for every message: the server as configured and the key name (never the secret). */
export interface Context {
  server: string;
  key: TsigKey;
}

/**
 * A query or update that got no usable answer. After an UPDATE was sent, a timeout leaves the outcome unknown.
 * Messages are the reason only (`what` names the step, not the record): the engine names the record, writes
 * "could not confirm" for `unconfirmed`, and states when it tries again.
 */
export function exchangeFailure(error: unknown, what: string, ctx: Context, updateSent = false): Failure {
  const reason = error instanceof DnsExchangeError ? error.reason : "network";
  const detail = error instanceof Error ? error.message : String(error);
  if (updateSent && (reason === "timeout" || reason === "aborted")) {
    const why = reason === "timeout" ? `DNS server ${q(ctx.server)} did not answer the ${what} in time` : `the ${what} was cancelled after it was sent`;
    return fail("transient", `${why}; the change may or may not have been applied`, true);
  }
  if (reason === "aborted") return fail("transient", `the ${what} was cancelled before it finished`);
  if (reason === "timeout") {
    return fail("transient", `DNS server ${q(ctx.server)} did not answer the ${what} in time; check DDNS_RFC2136_SERVER and that the server is running`);
  }
  if (reason === "malformed") return fail("transient", `DNS server ${q(ctx.server)} sent an unreadable answer to the ${what}: ${detail}`);
  return fail("transient", `could not reach DNS server ${q(ctx.server)} for the ${what} (${detail}); check DDNS_RFC2136_SERVER and that the server is running`);
}

/** The answer to a plain query, when it is not usable (NOERROR and NXDOMAIN are). */
export function queryFailure(rcode: number, what: string, ctx: Context): Failure | undefined {
  if (rcode === 0 || rcode === 3) return undefined;
  if (rcode === 5 || rcode === 9) {
    return fail("config", `DNS server ${q(ctx.server)} refused the ${what} (${rcodeName(rcode)}): it is not authoritative for that name or does not answer this host; check DDNS_RFC2136_SERVER and DDNS_RFC2136_ZONE`);
  }
  return fail("transient", `DNS server ${q(ctx.server)} answered the ${what} with ${rcodeName(rcode)}`);
}

function tsigFailure(error: number, ctx: Context): Failure {
  const server = q(ctx.server);
  const key = q(ctx.key.name);
  switch (TSIG_ERRORS[error]) {
    case "BADKEY":
      return fail("auth", `DNS server ${server} did not accept TSIG key ${key} with algorithm ${ctx.key.algorithm} for this change (BADKEY): check DDNS_RFC2136_TSIG_KEY_NAME and DDNS_RFC2136_TSIG_ALGORITHM against the server's key, and that its acl or update policy lets this key change this name (Knot answers BADKEY to an update its acl denies)`);
    case "BADTIME":
      return fail("auth", `DNS server ${server} rejected the signature time (BADTIME): this host's clock and the server's differ by more than 5 minutes; fix the clock (NTP)`);
    default:
      return fail("auth", `DNS server ${server} rejected the TSIG signature of key ${key} (${TSIG_ERRORS[error] ?? `TSIG error ${error}`}): check the key name, the secret (DDNS_PROVIDER_API_TOKEN) and DDNS_RFC2136_TSIG_ALGORITHM`);
  }
}

/** What a signed UPDATE's answer means; undefined when the change was applied and the answer verified. */
export function updateFailure(answer: SignedAnswer, what: string, zone: string, ctx: Context): Failure | undefined {
  const server = q(ctx.server);
  const { tsig, rcode } = answer;
  if (tsig.status === "tsig-error") return tsigFailure(tsig.error, ctx);
  if (tsig.status === "unsigned") {
    return fail("transient", `the answer from ${server} to the ${what} (${rcodeName(rcode)}) was not signed with key ${q(ctx.key.name)}`, true);
  }
  if (tsig.status === "invalid") {
    return fail("transient", `the TSIG signature of the answer from ${server} to the ${what} did not verify (${tsig.reason})`, true);
  }
  if (tsig.error !== 0) return tsigFailure(tsig.error, ctx);
  switch (rcode) {
    case 0:
      return undefined;
    case 9:
      return fail("auth", `DNS server ${server} answered NOTAUTH to the ${what}: it did not accept key ${q(ctx.key.name)} or is not authoritative for zone ${q(zone)}; check the key name, secret and algorithm, and DDNS_RFC2136_SERVER`);
    case 5:
      return fail("auth", `DNS server ${server} refused the ${what} (REFUSED): the server's update policy does not allow key ${q(ctx.key.name)} to change this name; grant it on the server (BIND update-policy, Knot acl with action update)`);
    case 10:
      return fail("config", `the ${what} is outside zone ${q(zone)} on DNS server ${server} (NOTZONE); check DDNS_RFC2136_ZONE`);
    case 4:
      return fail("config", `DNS server ${server} does not accept DNS UPDATE (NOTIMP); point DDNS_RFC2136_SERVER at the zone's primary server`);
    case 1:
      return fail("config", `DNS server ${server} could not parse the ${what} (FORMERR); the server may not support this TSIG algorithm (${ctx.key.algorithm})`);
    default:
      return fail("transient", `DNS server ${server} did not apply the ${what} (${rcodeName(rcode)})`);
  }
}
