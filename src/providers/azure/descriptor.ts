import { defineProvider } from "../kit/descriptor.ts";
import { secret, text, url } from "../kit/fields.ts";
import { createRrsetProvider } from "../kit/rrset-provider.ts";
import { azureApi } from "./azure-api.ts";

export const azure = defineProvider({
  id: "azure",
  name: "Azure DNS",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  ttl: { min: 1, max: 2_147_483_647, auto: "the existing record set's TTL (300 for a new one)" },
  fields: {
    key: secret("DDNS_PROVIDER_API_KEY", "the application (client) id of the app registration").or("AZURE_CLIENT_ID").required("00000000-0000-0000-0000-000000000000"),
    token: secret("DDNS_PROVIDER_API_TOKEN", "a client secret's value of that application").or("AZURE_CLIENT_SECRET"),
    tenant: text("DDNS_AZURE_TENANT_ID", "the directory (tenant) id").or("AZURE_TENANT_ID").required("00000000-0000-0000-0000-000000000000"),
    subscription: text("DDNS_AZURE_SUBSCRIPTION_ID", "the subscription of the DNS zones").or("AZURE_SUBSCRIPTION_ID").required("00000000-0000-0000-0000-000000000000"),
    resourceGroup: text("DDNS_AZURE_RESOURCE_GROUP", "the resource group of the DNS zones").required("dns"),
    loginUrl: url("DDNS_AZURE_LOGIN_URL", "the Microsoft Entra ID login URL (another cloud's, or tests)").default("https://login.microsoftonline.com"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the Azure Resource Manager URL").default("https://management.azure.com"),
  },
  create: (s, deps) => createRrsetProvider(azureApi(s, deps), { id: "azure", log: deps.log }),
});
