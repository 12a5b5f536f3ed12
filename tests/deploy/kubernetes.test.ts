import { afterAll, describe, expect, it } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Deployment, type IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ROOT, RUN_ID, run } from "./harness.ts";
import { checkEnvironment } from "./env-check.ts";

/**
 * deploy/kubernetes/ checked offline against the Kubernetes API's own OpenAPI schemas, as shipped by
 * kubernetes-models: types, formats and required fields through its validators, and unknown fields (a typo such as
 * `livenessprobe`, which the API server would drop or refuse) through TypeScript's excess-property check against
 * the same package's generated types. Then what the operations guide asks of the Deployment.
 */

const DIR = join(ROOT, "deploy", "kubernetes");
const MODELS = {
  "apps/v1/Deployment": { model: Deployment, type: "IDeployment", module: "kubernetes-models/apps/v1/Deployment" },
  "v1/Secret": { model: Secret, type: "ISecret", module: "kubernetes-models/v1/Secret" },
  "v1/Service": { model: Service, type: "IService", module: "kubernetes-models/v1/Service" },
} as const;
type Kind = keyof typeof MODELS;

interface Manifest {
  file: string;
  doc: { apiVersion: string; kind: string; metadata: { name: string } };
}

const manifests: Manifest[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((file) => ({ file, doc: Bun.YAML.parse(readFileSync(join(DIR, file), "utf8")) as Manifest["doc"] }));
const kindOf = (m: Manifest) => `${m.doc.apiVersion}/${m.doc.kind}` as Kind;
const deployment = manifests.find((m) => m.doc.kind === "Deployment")?.doc as unknown as IDeployment;
const scratch = join(ROOT, ".tmp", `k8s-strict-${RUN_ID}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Type-checks the documents as object literals of their model types; returns tsc's findings. */
function strictCheck(docs: Manifest[]): string {
  mkdirSync(scratch, { recursive: true });
  const file = join(scratch, "manifests.ts");
  const lines = docs.map((m, i) => {
    const { type, module } = MODELS[kindOf(m)];
    return `import type { ${type} as T${i} } from "${module}";\nexport const m${i}: T${i} = ${JSON.stringify(m.doc)};`;
  });
  writeFileSync(file, `${lines.join("\n")}\n`);
  const tsc = join(ROOT, "node_modules", ".bin", "tsc");
  const r = run([tsc, "--ignoreConfig", "--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "preserve", "--moduleResolution", "bundler", file]);
  return `${r.stdout}${r.stderr}`.trim();
}

describe("the Kubernetes manifests (deploy/kubernetes)", () => {
  it("are a Deployment, a Secret example and a Service, each of a kind with a known schema", () => {
    expect(manifests.map((m) => `${m.file}: ${m.doc.kind}`)).toEqual(["deployment.yaml: Deployment", "secret.example.yaml: Secret", "service.yaml: Service"]);
    for (const m of manifests) expect(Object.keys(MODELS)).toContain(kindOf(m));
  });

  it.each(manifests.map((m) => ({ name: m.file, m })))("$name validates against the Kubernetes OpenAPI schema", ({ m }) => {
    const { model: Model } = MODELS[kindOf(m)];
    expect(() => new Model(m.doc as never).validate()).not.toThrow();
  });

  it("have no field the Kubernetes types do not know", () => {
    expect(strictCheck(manifests)).toBe("");
  });

  it.each([
    { name: "a misspelt probe (unknown field)", edit: (s: string) => s.replace('"livenessProbe"', '"livenessprobe"'), finding: `'"livenessprobe"' does not exist` },
    { name: "a replica count as text (wrong type)", edit: (s: string) => s.replace('"replicas":1', '"replicas":"1"'), finding: "replicas must be integer" },
    { name: "a container without a name (missing field)", edit: (s: string) => s.replace('"name":"ddnsd","image"', '"image"'), finding: "containers/0 must have required property name" },
  ])("would catch $name, so the checks above can fail", ({ edit, finding }) => {
    const doc = JSON.parse(edit(JSON.stringify(deployment)));
    let schema = "";
    try {
      new Deployment(doc).validate();
    } catch (error) {
      schema = String(error);
    }
    const fields = strictCheck([{ file: "broken.yaml", doc }]);
    expect(`${schema}\n${fields}`).toContain(finding);
  });

  it("run one updater at a time: one replica, Recreate", () => {
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.spec?.strategy).toEqual({ type: "Recreate" });
  });

  it("follow the guide: 32Mi/64Mi memory, /healthz liveness, /readyz readiness, a grace period above 30 s", () => {
    const pod = deployment.spec!.template.spec!;
    const [container] = pod.containers;
    expect(container!.resources).toEqual({ requests: { memory: "32Mi", cpu: "100m" }, limits: { memory: "64Mi", cpu: "200m" } });
    expect(container!.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container!.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(container!.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(30);
  });

  it("run restricted: non-root 65532, read-only root, no capabilities, no privilege escalation, RuntimeDefault seccomp", () => {
    const pod = deployment.spec!.template.spec!;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.containers[0]!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("mount the token from the Secret the example defines, and the Service selects the pod", () => {
    const secret = manifests.find((m) => m.doc.kind === "Secret")!.doc as unknown as { metadata: { name: string }; stringData: Record<string, string> };
    const volume = deployment.spec!.template.spec!.volumes!.find((v) => v.name === "api-token")!;
    expect(volume.secret?.secretName).toBe(secret.metadata.name);
    expect(Object.keys(secret.stringData)).toEqual(volume.secret!.items!.map((i) => i.key));
    expect(volume.secret?.defaultMode).toBe(0o440);
    const service = manifests.find((m) => m.doc.kind === "Service")!.doc as unknown as { spec: { selector: Record<string, string> } };
    expect(deployment.spec!.template.metadata!.labels).toMatchObject(service.spec.selector);
  });

  it("give the container an environment `ddnsd check` accepts without warnings", () => {
    const env = Object.fromEntries(deployment.spec!.template.spec!.containers[0]!.env!.map((e) => [e.name, e.value ?? ""]));
    const r = checkEnvironment(env);
    expect(r.lines.filter((l) => l.startsWith("warning:"))).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.lines).toContain("DDNS_HTTP_ADDR=0.0.0.0:8080");
  });
});
