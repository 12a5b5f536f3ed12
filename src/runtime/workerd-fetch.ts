/**
 * The Workers runtime (workerd) inflates gzip and br answers by itself, whatever the request's Accept-Encoding
 * says, and keeps their Content-Encoding header (measured on workerd through Miniflare: a gzip body arrives as
 * its plain text, still labelled `gzip`; deflate and zstd arrive as sent). The kit's client refuses labelled
 * bodies unread (src/net/read-capped.ts), which is right where the runtime hands over raw bytes (Bun with
 * `decompress: false`, Deno once the request names its Accept-Encoding), but here the body is already plain, and
 * workerd inflates it as it is read: the label goes, and the byte cap counts the inflated bytes as they stream.
 */
const DECODED_BY_WORKERD = new Set(["gzip", "br"]);

type Fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => Promise<Response>;

export function workerdFetch(fetcher: Fetch): Fetch {
  return async (input, init) => {
    const response = await fetcher(input, init);
    const encoding = response.headers.get("content-encoding")?.trim().toLowerCase();
    if (encoding === undefined || !DECODED_BY_WORKERD.has(encoding)) return response;
    const headers = new Headers(response.headers);
    headers.delete("content-encoding");
    headers.delete("content-length");
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
