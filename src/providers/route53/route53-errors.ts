import type { HttpFailure } from "../kit/http-types.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { ServiceReading } from "../kit/rest-api.ts";
import { elements, textOf } from "./route53-xml.ts";

/**
 * Route 53's error envelopes in operator words. Every error is `<ErrorResponse><Error><Type/><Code/><Message/>
 * </Error><RequestId/></ErrorResponse>`, except a refused change batch: `<InvalidChangeBatch><Messages><Message/>…
 * </Messages></InvalidChangeBatch>`. Codes from the API reference's "Common Errors" and each action's "Errors".
 */
const KEY = "DDNS_PROVIDER_API_KEY (or AWS_ACCESS_KEY_ID)";
const SECRET = "DDNS_PROVIDER_API_TOKEN (or AWS_SECRET_ACCESS_KEY)";

/** The IAM action a request needs, from its path and method. */
function actionOf(f: HttpFailure): string {
  if (f.url.includes("/hostedzonesbyname")) return "route53:ListHostedZonesByName";
  if (f.url.includes("/change/")) return "route53:GetChange";
  if (f.url.includes("/rrset")) return f.method === "GET" ? "route53:ListResourceRecordSets" : "route53:ChangeResourceRecordSets";
  return "route53:GetHostedZone";
}

/** The error's code and message, when the body is one of Route 53's envelopes. */
export function errorOf(body: string | undefined): { code: string; message: string } | undefined {
  if (!body) return undefined;
  if (elements(body, "InvalidChangeBatch").length > 0) return { code: "InvalidChangeBatch", message: elements(body, "Message").map((m) => textOf(`<m>${m}</m>`, "m") ?? "").join("; ") };
  const code = textOf(body, "Code");
  return code === undefined ? undefined : { code, message: textOf(body, "Message") ?? "" };
}

export function explainRoute53(f: HttpFailure): ServiceReading | undefined {
  if (f.reason === "http" && f.status !== undefined && f.status >= 500 && /^\s*(<!doctype html|<html)/i.test(f.body ?? "")) {
    return { kind: "transient", reason: `Route 53 answered HTTP ${f.status} with an HTML page instead of XML (an outage, or a proxy in the way)` };
  }
  const e = f.reason === "http" ? errorOf(f.body) : undefined;
  if (!e) return undefined;
  const said = `HTTP ${f.status} ${e.code}${e.message ? `: ${quoteBody(e.message)}` : ""}`;
  const retryAfterMs = f.retryAfterMs ?? 1000;
  switch (e.code) {
    case "InvalidClientTokenId":
    case "UnrecognizedClientException":
      return { kind: "auth", reason: `AWS does not know the access key id (${said}); check ${KEY}: an active access key of the IAM user` };
    case "SignatureDoesNotMatch":
    case "IncompleteSignature":
      return { kind: "auth", reason: `AWS refused the request's signature (${said}); check ${SECRET}: the secret access key of that access key id, and that the system clock is right` };
    case "ExpiredToken":
    case "RequestExpired":
      return { kind: "auth", reason: `AWS refused expired credentials (${said}); renew AWS_SESSION_TOKEN (or DDNS_ROUTE53_SESSION_TOKEN) with its key pair, and check the system clock` };
    case "AccessDenied":
      return { kind: "auth", reason: `AWS refused the ${f.method} (${said}); allow ${actionOf(f)} to the IAM identity of ${KEY} (docs/providers/route53.md has a least-privilege policy)` };
    case "Throttling":
    case "PriorRequestNotComplete":
      return { kind: "rate-limited", reason: `Route 53 asked to slow down (${said}; five requests a second per AWS account)`, retryAfterMs };
    case "NoSuchHostedZone":
      return { kind: "config", reason: `Route 53 has no such hosted zone (${said}); check DDNS_ROUTE53_HOSTED_ZONE_ID, or let ddnsd find the zone by leaving it unset`, tag: "stale-zone" };
    case "InvalidChangeBatch":
      return { kind: "config", reason: `Route 53 refused the change (${said}); check DDNS_RECORD_TTL and that the name holds no CNAME, alias or weighted record` };
    case "InvalidInput":
      return { kind: "config", reason: `Route 53 refused the request as invalid (${said}); check the record name and DDNS_RECORD_TTL` };
    default:
      return { account: said };
  }
}
