/**
 * The Cloudflare v4 envelope and the error answers the fake gives, with the codes and wording Cloudflare uses
 * (from its API documentation and the answers operators report). Where Cloudflare's exact code for a case is not
 * documented, the fake uses FAKE_UNDOCUMENTED and says so in the message, so no test comes to rely on it.
 */

export interface CfError {
  code: number;
  message: string;
  error_chain?: CfError[];
}

export interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const FAKE_UNDOCUMENTED = 9999;

export const ok = (result: unknown, resultInfo?: object): FakeAnswer => ({
  status: 200,
  body: { success: true, errors: [], messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) },
});

export const fail = (status: number, ...errors: CfError[]): FakeAnswer => ({
  status,
  body: { success: false, errors, messages: [], result: null },
});

export const E = {
  missingAuth: (): FakeAnswer => fail(400, { code: 9106, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers" }),
  badAuthFormat: (): FakeAnswer =>
    fail(400, { code: 6003, message: "Invalid request headers", error_chain: [{ code: 6111, message: "Invalid format for Authorization header" }] }),
  invalidToken: (): FakeAnswer => fail(403, { code: 9109, message: "Invalid access token" }),
  notAllowed: (): FakeAnswer => fail(403, { code: 10000, message: "Authentication error" }),
  badContentType: (): FakeAnswer =>
    fail(400, {
      code: 6003,
      message: "Invalid request headers",
      error_chain: [{ code: 6105, message: "Invalid Content-Type header, valid values are application/json,multipart/form-data" }],
    }),
  badBody: (detail?: string): FakeAnswer => fail(400, { code: 9207, message: detail ? `Request body is invalid. (${detail})` : "Request body is invalid." }),
  noRoute: (path: string): FakeAnswer =>
    fail(
      400,
      { code: 7003, message: `Could not route to ${path}, perhaps your object identifier is invalid?` },
      { code: 7000, message: "No route for that URI" },
    ),
  methodNotAllowed: (): FakeAnswer => fail(405, { code: FAKE_UNDOCUMENTED, message: "Method not allowed (fake: the real code is not documented)" }),
  recordMissing: (): FakeAnswer => fail(404, { code: 81044, message: "Record does not exist." }),
  identical: (): FakeAnswer => fail(400, { code: 81058, message: "An identical record already exists." }),
  cnameExists: (): FakeAnswer => fail(400, { code: 81054, message: "A CNAME record with that host already exists." }),
  addressExists: (): FakeAnswer => fail(400, { code: 81053, message: "An A, AAAA, or CNAME record with that host already exists." }),
  invalidA: (): FakeAnswer => fail(400, { code: 9005, message: "Content for A record must be a valid IPv4 address." }),
  invalidAAAA: (): FakeAnswer => fail(400, { code: 9006, message: "Content for AAAA record must be a valid IPv6 address." }),
  invalidTtl: (): FakeAnswer => fail(400, { code: 9021, message: "Invalid TTL. Must be between 60 and 86400, or 1 for automatic." }),
  validation: (message: string): FakeAnswer =>
    fail(400, { code: 1004, message: "DNS Validation Error", error_chain: [{ code: FAKE_UNDOCUMENTED, message }] }),
  paging: (message: string): FakeAnswer => fail(400, { code: FAKE_UNDOCUMENTED, message: `${message} (fake: the real code is not documented)` }),
  rateLimited: (retryAfter: number): FakeAnswer => ({
    ...fail(429, { code: 971, message: "Please wait and consider throttling your request speed" }),
    headers: { "Retry-After": String(retryAfter) },
  }),
  batchTooLarge: (limit: number): FakeAnswer =>
    fail(400, { code: FAKE_UNDOCUMENTED, message: `A batch may hold at most ${limit} operations on this plan (fake: the real code is not documented)` }),
  internal: (): FakeAnswer => fail(500, { code: 10001, message: "Internal server error (fake)" }),
};
