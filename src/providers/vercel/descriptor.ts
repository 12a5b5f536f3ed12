import { defineProvider } from "../kit/descriptor.ts";
import { secret, text, url } from "../kit/fields.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { vercelApi } from "./vercel-api.ts";

export const vercel = defineProvider({
  id: "vercel",
  name: "Vercel",
  capabilities: { read: true, comments: true, proxied: false },
  // "The TTL value. Must be a number between 60 and 2147483647. Default value is 60." (create a DNS record)
  ttl: { min: 60, max: 2_147_483_647, auto: "Vercel's default (60) for new records; existing records keep theirs" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "an access token (Account Settings → Tokens) scoped to the team that owns the domains").required("vercel_…"),
    teamId: text("DDNS_VERCEL_TEAM_ID", "the team's id (team_…) when the domains belong to a team, sent as teamId").optional(),
    // Vercel's paths carry their own version (/v5/domains, /v2/domains/…/records, /v1/domains/records/…).
    apiUrl: url("DDNS_PROVIDER_API_URL", "the API base URL").default("https://api.vercel.com"),
  },
  create: (s, deps) => createRecordProvider(vercelApi(s, deps), { id: "vercel", now: deps.now }),
});
