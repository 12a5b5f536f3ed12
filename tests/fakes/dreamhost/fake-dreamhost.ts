import { isIPv4, isIPv6 } from "node:net";
import { json, startFakeService, type FakeRequest, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the DreamHost API (https://api.dreamhost.com/), written on 2026-12-02 from DreamHost's API wiki
 * (help.dreamhost.com "API overview" and "DNS API commands": `GET /?key=…&cmd=…&format=json`, an optional
 * `unique_id` that DreamHost refuses to run twice, `dns-list_records` with `{account_id, zone, record, type, value,
 * comment, editable}` for every domain of the account, `dns-add_record` with `record`, `type`, `value`, `comment`
 * answered `record_added`, `dns-remove_record` with `record`, `type`, `value` answered `record_removed`, and their
 * documented errors: no_record, no_type, no_value, invalid_record, invalid_type, invalid_value, no_such_zone,
 * CNAME_already_on_record, record_already_exists_not_editable, record_already_exists_remove_first, no_such_record,
 * no_such_type, no_such_value, not_editable — all as `{"result": "error", "data": …}` in HTTP 200), cross-checked
 * against go-acme/lego providers/dns/dreamhost (its tests: the JSON envelope, `comment`) and qdm12/ddns-updater's
 * dreamhost provider (adds the new value before removing the old one, `editable` as "0"/"1").
 * Left open by what could be read, so the fake is strict: unknown query parameters and a reused `unique_id` are
 * refused; the wording for a bad key ("invalid_api_key") and for a key without the dns-* commands
 * ("this_key_cannot_access_this_cmd") is the fake's choice; an A/AAAA value of the wrong family is invalid_value.
 */
export interface FakeDreamhostOptions {
  /** key → the commands it may run ("all", or a list). */
  keys: Record<string, "all" | string[]>;
  zones: string[];
}

export interface FakeDreamhost extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], more?: { comment?: string; editable?: boolean }): void;
}

const failure = (data: string) => json(200, { result: "error", data });
const success = (data: unknown) => json(200, { result: "success", data });
const COMMON = ["key", "cmd", "format", "unique_id"];
const PARAMS: Record<string, string[]> = { "dns-list_records": [], "dns-add_record": ["record", "type", "value", "comment"], "dns-remove_record": ["record", "type", "value"] };

export async function startFakeDreamhost(o: FakeDreamhostOptions): Promise<FakeDreamhost> {
  const store = createZoneStore(o.zones);
  // A domain hosted at DreamHost always holds DreamHost's own name server records (not editable).
  for (const zone of o.zones) for (const ns of ["ns1", "ns2", "ns3"]) store.add({ zone, name: zone, type: "NS", content: `${ns}.dreamhost.com`, ttl: 14_400, extra: { comment: "", editable: false } });
  const used = new Set<string>();
  // DreamHost has no update: a changed address is an add and the remove of the old value right after it. That pair
  // counts as one write (what the shared suites count); any other add or remove counts on its own.
  let writes = 0;
  let lastAdd: string | undefined;
  const shown = (r: StoredRecord) => ({ account_id: "1234", zone: r.zone, record: r.name, type: r.type, value: r.content, comment: (r.extra.comment as string | undefined) ?? "", editable: r.extra.editable === false ? "0" : "1" });
  const find = (q: URLSearchParams) => {
    const record = q.get("record") ?? "";
    const zone = store.zoneOf(record);
    return { record, zone, type: q.get("type") ?? "", value: q.get("value") ?? "" };
  };
  const commands: Record<string, (q: URLSearchParams) => Response> = {
    "dns-list_records": () => success(store.zones().flatMap((z) => store.records(z)).map(shown)),
    "dns-add_record": (q) => {
      const { record, zone, type, value } = find(q);
      if (!record) return failure("no_record");
      if (!type) return failure("no_type");
      if (!value) return failure("no_value");
      if (record !== record.toLowerCase() || record.endsWith(".")) return failure("invalid_record\tthe name must be lower case, without a trailing dot");
      if (!["A", "AAAA", "CNAME", "NS", "PTR", "NAPTR", "SRV", "TXT"].includes(type)) return failure("invalid_type");
      if ((type === "A" && !isIPv4(value)) || (type === "AAAA" && !isIPv6(value))) return failure(`invalid_value\tnot an ${type === "A" ? "IPv4" : "IPv6"} address`);
      if (!zone) return failure("no_such_zone");
      const same = store.find(zone, record, type).find((r) => r.content === value);
      if (same) return failure(same.extra.editable === false ? "record_already_exists_not_editable" : "record_already_exists_remove_first");
      store.add({ zone, name: record, type, content: value, ttl: 14_400, extra: { comment: q.get("comment") ?? "", editable: true } });
      writes++;
      lastAdd = `${record} ${type}`;
      return success("record_added");
    },
    "dns-remove_record": (q) => {
      const { record, zone, type, value } = find(q);
      if (!record) return failure("no_record");
      if (!type) return failure("no_type");
      if (!value) return failure("no_value");
      const held = zone ? store.find(zone, record, type) : [];
      if (held.length === 0) return failure(zone && store.find(zone, record).length > 0 ? "no_such_type" : "no_such_record");
      const hit = held.find((r) => r.content === value);
      if (!hit) return failure("no_such_value");
      if (hit.extra.editable === false) return failure("not_editable");
      store.remove(hit.id);
      if (lastAdd !== `${record} ${type}`) writes++;
      lastAdd = undefined;
      return success("record_removed");
    },
  };
  const routes: Route[] = [
    {
      method: "GET", path: "/",
      handle: ({ query }: FakeRequest) => {
        const cmd = query.get("cmd") ?? "";
        const allowed = PARAMS[cmd];
        if (!allowed) return failure("no_cmd");
        const grant = o.keys[query.get("key") ?? ""]!;
        if (grant !== "all" && !grant.includes(cmd)) return failure("this_key_cannot_access_this_cmd");
        const unknown = [...query.keys()].find((k) => !COMMON.includes(k) && !allowed.includes(k));
        if (unknown) return failure(`invalid_parameter\t${unknown}`);
        if (query.get("format") !== "json") return failure("invalid_format");
        const id = query.get("unique_id");
        if (id !== null) {
          if (used.has(id)) return failure("unique_id_already_used");
          used.add(id);
        }
        if (cmd !== "dns-add_record" && cmd !== "dns-remove_record") lastAdd = undefined;
        return commands[cmd]!(query);
      },
    },
  ];
  const fake = await startFakeService({
    name: "DreamHost API",
    basePath: "",
    error: (status, message) => (status === 429 || status >= 500 ? json(status, { result: "error", data: message }) : failure(message)),
    routes,
    auth: (req) => (new URL(req.url).searchParams.get("key") ?? "") in o.keys ? undefined : failure("invalid_api_key"),
  });
  return {
    ...fake,
    writes: () => writes,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, more = {}) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake DreamHost: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl: 14_400, extra: { comment: more.comment ?? "", editable: more.editable ?? true } });
    },
  };
}
