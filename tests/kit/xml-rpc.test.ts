import { describe, expect, it } from "bun:test";
import { encodeCall, encodeFault, encodeResponse, parseXmlRpc, type XmlRpcValue } from "../../src/providers/kit/xml-rpc.ts";

/** The kit's XML-RPC writer and reader: the wire format pinned by literal XML, round trips, and hostile input. */
describe("XML-RPC", () => {
  it("writes a call in the spec's format, escaping text", () => {
    expect(encodeCall("addZoneRecord", ["user@loopiaapi", "p<&>", 300, true, { type: "A", ttl: 3600 }, [1, "x"], null])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<methodCall><methodName>addZoneRecord</methodName><params>' +
        "<param><value><string>user@loopiaapi</string></value></param>" +
        "<param><value><string>p&lt;&amp;&gt;</string></value></param>" +
        "<param><value><int>300</int></value></param>" +
        "<param><value><boolean>1</boolean></value></param>" +
        "<param><value><struct><member><name>type</name><value><string>A</string></value></member><member><name>ttl</name><value><int>3600</int></value></member></struct></value></param>" +
        "<param><value><array><data><value><int>1</int></value><value><string>x</string></value></data></array></value></param>" +
        "<param><value><nil/></value></param>" +
        "</params></methodCall>",
    );
  });

  it.each<{ name: string; xml: string; want: unknown }>([
    {
      name: "an array of structs, as servers indent it",
      xml: `<?xml version="1.0"?>\n<methodResponse>\n  <params>\n    <param>\n      <value><array><data>\n        <value><struct>\n          <member><name>type</name><value><string>A</string></value></member>\n          <member><name>ttl</name><value><i4>300</i4></value></member>\n          <member><name>rdata</name><value>192.0.2.1</value></member>\n        </struct></value>\n      </data></array></value>\n    </param>\n  </params>\n</methodResponse>`,
      want: { kind: "response", value: [{ type: "A", ttl: 300, rdata: "192.0.2.1" }] },
    },
    { name: "a bare string with entities and a CDATA section", xml: "<methodResponse><params><param><value>a &amp; b &#x3C; <![CDATA[<c>]]></value></param></params></methodResponse>", want: { kind: "response", value: "a & b < <c>" } },
    { name: "a fault", xml: "<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>623</int></value></member><member><name>faultString</name><value><string>Method not found</string></value></member></struct></value></fault></methodResponse>", want: { kind: "fault", code: 623, message: "Method not found" } },
    { name: "a call", xml: "<?xml version='1.0'?><!-- hi --><methodCall><methodName>getDomains</methodName><params><param><value><string>u</string></value></param></params></methodCall>", want: { kind: "call", method: "getDomains", params: ["u"] } },
  ])("reads $name", ({ xml, want }) => {
    expect(parseXmlRpc(xml)).toEqual(want as never);
  });

  it.each([
    { name: "an HTML page", xml: "<!doctype html><html><body>502 Bad Gateway</body></html>" },
    { name: "JSON", xml: '{"status":"OK"}' },
    { name: "an unclosed element", xml: "<methodResponse><params><param><value><string>x</value></param></params></methodResponse>" },
    { name: "an unknown entity", xml: "<methodResponse><params><param><value>&nbsp;</value></param></params></methodResponse>" },
    { name: "a wrong int", xml: "<methodResponse><params><param><value><int>12a</int></value></param></params></methodResponse>" },
    { name: "a response without a value", xml: "<methodResponse><params></params></methodResponse>" },
    { name: "nesting a thousand levels deep", xml: `<methodResponse><params><param>${"<value><array><data>".repeat(1000)}` },
    { name: "two root elements", xml: "<methodResponse></methodResponse><methodResponse></methodResponse>" },
  ])("returns undefined for $name", ({ xml }) => {
    expect(parseXmlRpc(xml)).toBeUndefined();
  });

  it("reads back what it writes", () => {
    const values: XmlRpcValue[] = ["", "ünïcödé ✓ <&>", -7, 2.5, false, null, [], {}, { a: [{ b: "c" }] }];
    for (const value of values) expect(parseXmlRpc(encodeResponse(value))).toEqual({ kind: "response", value });
    expect(parseXmlRpc(encodeFault(1, "bad & worse"))).toEqual({ kind: "fault", code: 1, message: "bad & worse" });
  });
});
