import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, SUBGRAPHS } from '@hub/gateway/serve';
import { HubMetrics, serveOps } from '@hub/observability';
import { CONTEXTS, contextTopic } from '@hub/relay';
import { describe, expect, it } from 'vitest';
import { distPathOf } from '../../scripts/build.mjs';
import { kustomize, type Manifest, readYaml } from './render.js';

const root = join(import.meta.dirname, '..', '..');
const infra = join(root, 'infra');

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: { name: string }[];
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface PodSpec {
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string } }[];
}

type Model = new (data: unknown) => { validate(): void };

/** The schema package for each API group: Kubernetes itself, Strimzi and CloudNativePG. */
async function modelOf(manifest: Manifest): Promise<Model> {
  const { apiVersion, kind } = manifest;
  const module = apiVersion.endsWith('strimzi.io/v1beta2')
    ? `@kubernetes-models/strimzi-kafka-operator/${apiVersion}/${kind}`
    : apiVersion.startsWith('postgresql.cnpg.io/')
      ? `@kubernetes-models/cloudnative-pg/${apiVersion}/${kind}`
      : `kubernetes-models/${apiVersion}/${kind}`;
  const loaded = (await import(/* @vite-ignore */ module)) as Record<string, Model>;
  const model = loaded[kind];
  if (!model) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return model;
}

const base = kustomize(join(infra, 'k8s', 'base'));
const production = kustomize(join(infra, 'k8s', 'overlays', 'production'));

const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const named = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} is missing`);
  return found;
};
const podSpec = (m: Manifest) => (m.spec as { template: { spec: PodSpec } }).template.spec;
const hubDeployments = (manifests: Manifest[]) =>
  ofKind(manifests, 'Deployment').filter((m) => m.metadata.labels?.['app.kubernetes.io/part-of'] === 'hub');
const serviceOf = (deployment: Manifest) => podSpec(deployment).containers[0]?.args?.[0] ?? '';
const portNamed = (container: Container, name: string) =>
  container.ports?.find((port) => port.name === name)?.containerPort;

describe.each([
  ['base', base],
  ['production overlay', production],
])('the %s', (_, manifests) => {
  it('given every manifest, when validated against its Kubernetes or CRD schema, then each is valid', async () => {
    expect(manifests.length).toBeGreaterThan(20);
    for (const manifest of manifests) {
      const Model = await modelOf(manifest);
      expect(() => new Model(manifest).validate(), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    }
  });

  it('given the services, then each has a Deployment running it by name, a Service, a PodDisruptionBudget and resources', () => {
    const deployments = hubDeployments(manifests);
    expect(deployments.map(serviceOf).sort()).toEqual(Object.keys(SERVICES).sort());
    for (const deployment of deployments) {
      const name = deployment.metadata.name;
      const [container] = podSpec(deployment).containers as [Container];
      expect(container.resources?.requests?.cpu, name).toBeDefined();
      expect(container.resources?.limits?.memory, name).toBeDefined();
      expect(named(manifests, 'Service', name)).toBeDefined();
      const pdb = named(manifests, 'PodDisruptionBudget', name).spec as { selector: { matchLabels: object } };
      expect(pdb.selector.matchLabels).toEqual(
        (deployment.spec as { selector: { matchLabels: object } }).selector.matchLabels,
      );
      const port = container.env?.find((variable) => variable.name === 'HUB_PORT')?.value;
      expect(Number(port), name).toBe(portNamed(container, 'graphql'));
    }
    for (const target of ['hub-gateway', 'hub-live']) {
      const hpa = named(manifests, 'HorizontalPodAutoscaler', target).spec as { scaleTargetRef: { name: string } };
      expect(hpa.scaleTargetRef.name).toBe(target);
    }
  });

  it('given the probes, then they ask the operations port for the paths it serves, and it answers them', async () => {
    const config = named(manifests, 'ConfigMap', 'hub-config').data as Record<string, string>;
    const ops = await serveOps({
      port: 0,
      metrics: new HubMetrics({ service: 'test', instance: 'test' }),
      checks: [],
      maxLag: { events: 1, seconds: 1 },
    });
    try {
      for (const deployment of hubDeployments(manifests)) {
        const [container] = podSpec(deployment).containers as [Container];
        expect(portNamed(container, 'ops')).toBe(Number(config.HUB_OPS_PORT));
        const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe];
        expect(probes.map((probe) => probe?.httpGet?.port)).toEqual(['ops', 'ops', 'ops']);
        expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
        for (const probe of probes) {
          const response = await fetch(new URL(probe?.httpGet?.path ?? '/missing', ops.url));
          expect(response.status, `${deployment.metadata.name} ${probe?.httpGet?.path}`).toBe(200);
        }
      }
    } finally {
      await ops.stop();
    }
  });

  it('given what the pods read, then every Secret, key and ConfigMap they name exists', () => {
    const secrets = new Map<string, Set<string>>();
    for (const secret of ofKind(manifests, 'Secret')) {
      const data = { ...(secret.stringData as object), ...(secret.data as object) };
      secrets.set(secret.metadata.name, new Set(Object.keys(data)));
    }
    // CloudNativePG makes these for its Cluster; their keys are its documented ones.
    for (const cluster of ofKind(manifests, 'Cluster')) {
      const keys = new Set(['username', 'password', 'uri', 'host', 'port', 'dbname', 'pgpass']);
      secrets.set(`${cluster.metadata.name}-app`, keys);
      if ((cluster.spec as { enableSuperuserAccess?: boolean }).enableSuperuserAccess) {
        secrets.set(`${cluster.metadata.name}-superuser`, keys);
      }
    }
    const configMaps = new Set(ofKind(manifests, 'ConfigMap').map((m) => m.metadata.name));
    const workloads = [...ofKind(manifests, 'Deployment'), ...ofKind(manifests, 'StatefulSet')];
    for (const workload of workloads) {
      const spec = podSpec(workload);
      for (const volume of spec.volumes ?? []) {
        if (volume.secret) expect(secrets.has(volume.secret.secretName), volume.secret.secretName).toBe(true);
      }
      for (const container of spec.containers) {
        for (const from of container.envFrom ?? []) {
          if (from.secretRef) expect(secrets.has(from.secretRef.name), from.secretRef.name).toBe(true);
          if (from.configMapRef) expect(configMaps.has(from.configMapRef.name), from.configMapRef.name).toBe(true);
        }
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) expect(secrets.get(ref.name)?.has(ref.key), `${ref.name}/${ref.key}`).toBe(true);
        }
      }
    }
    const auth = secrets.get('hub-auth');
    expect(auth?.has('HUB_JWKS_URL') || auth?.has('HUB_JWT_SECRET')).toBe(true);
  });

  it('given the gateway, then it finds every subgraph at its Service, and only it may reach their GraphQL port', () => {
    const gateway = podSpec(named(manifests, 'Deployment', 'hub-gateway')).containers[0] as Container;
    for (const subgraph of SUBGRAPHS) {
      const variable = `HUB_${subgraph.toUpperCase().replaceAll('-', '_')}_URL`;
      const url = new URL(gateway.env?.find((entry) => entry.name === variable)?.value ?? 'http://missing');
      const service = named(manifests, 'Service', url.hostname).spec as { ports: { name: string; port: number }[] };
      expect(service.ports.find((port) => port.name === 'graphql')?.port, variable).toBe(Number(url.port));
    }
    const policy = named(manifests, 'NetworkPolicy', 'subgraphs-from-gateway-only').spec as {
      podSelector: { matchLabels: Record<string, string> };
      ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[];
    };
    expect(policy.ingress.flatMap((rule) => rule.from.map((from) => from.podSelector.matchLabels))).toEqual([
      { 'app.kubernetes.io/name': 'hub-gateway' },
    ]);
    for (const deployment of hubDeployments(manifests).filter((d) => serviceOf(d) !== 'gateway')) {
      const labels = (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template
        .metadata.labels;
      for (const [key, value] of Object.entries(policy.podSelector.matchLabels)) {
        expect(labels[key], deployment.metadata.name).toBe(value);
      }
    }
  });

  it('given the data stores, then Kafka is KRaft with 3 controllers and 3 brokers at RF 3 and min ISR 2, PostgreSQL and each KurrentDB have 3 nodes', () => {
    const pools = ofKind(manifests, 'KafkaNodePool').map((pool) => pool.spec as { roles: string[]; replicas: number });
    expect(pools.filter((pool) => pool.roles.includes('controller')).map((pool) => pool.replicas)).toEqual([3]);
    expect(pools.filter((pool) => pool.roles.includes('broker')).map((pool) => pool.replicas)).toEqual([3]);
    const kafka = named(manifests, 'Kafka', 'hub-kafka');
    expect(kafka.metadata.annotations).toMatchObject({
      'strimzi.io/kraft': 'enabled',
      'strimzi.io/node-pools': 'enabled',
    });
    expect((kafka.spec as { kafka: { config: object } }).kafka.config).toMatchObject({
      'default.replication.factor': 3,
      'min.insync.replicas': 2,
    });
    for (const context of CONTEXTS) {
      const topic = named(manifests, 'KafkaTopic', contextTopic(context)).spec as { replicas: number };
      expect(topic.replicas).toBe(3);
    }
    expect((named(manifests, 'Cluster', 'hub-postgres').spec as { instances: number }).instances).toBe(3);
    const kurrent = ofKind(manifests, 'StatefulSet').filter((s) => s.metadata.name.startsWith('kurrentdb-'));
    expect(kurrent.map((s) => s.metadata.name).sort()).toEqual(CONTEXTS.map((c) => `kurrentdb-${c}`).sort());
    for (const set of kurrent) expect((set.spec as { replicas: number }).replicas).toBe(3);
  });
});

describe('the schema check', () => {
  it('given a Deployment whose port is not a number and a KafkaTopic with text replicas, then both are refused', async () => {
    const deployment = structuredClone(named(base, 'Deployment', 'hub-gateway'));
    (podSpec(deployment).containers[0]?.ports ?? [])[0] = {
      name: 'graphql',
      containerPort: 'four' as unknown as number,
    };
    const Deployment = await modelOf(deployment);
    expect(() => new Deployment(deployment).validate()).toThrow(/containerPort/);
    const topic = structuredClone(named(base, 'KafkaTopic', 'hub.directory'));
    (topic.spec as { replicas: unknown }).replicas = 'three';
    const KafkaTopic = await modelOf(topic);
    expect(() => new KafkaTopic(topic).validate()).toThrow(/replicas/);
  });
});

describe('the build', () => {
  it('given every workspace package, then each export of its sources also names the compiled file built code loads', () => {
    const missing: string[] = [];
    for (const group of ['packages', 'services']) {
      for (const name of readdirSync(join(root, group))) {
        const path = join(root, group, name, 'package.json');
        if (!existsSync(path)) continue;
        const { exports } = JSON.parse(readFileSync(path, 'utf8')) as { exports?: Record<string, unknown> };
        for (const [subpath, target] of Object.entries(exports ?? {})) {
          const source = typeof target === 'string' ? target : (target as { default?: string }).default;
          if (!source?.startsWith('./src/') || !source.endsWith('.ts') || source.includes('/testing/')) continue;
          const built = typeof target === 'string' ? undefined : (target as Record<string, string>)['hub-built'];
          if (built !== distPathOf(source)) missing.push(`${group}/${name} ${subpath}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the image and the compose file', () => {
  const dockerfile = readFileSync(join(infra, 'Dockerfile'), 'utf8');

  it('given the Dockerfile, then it builds in one stage and runs the built entry as a non-root user in another', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^RUN pnpm build$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    const entry = /^ENTRYPOINT \["node", "([^"]+)"\]$/m.exec(dockerfile)?.[1];
    expect(entry).toBe(distPathOf('services/gateway/src/start.ts'));
    expect(readFileSync(join(root, 'services', 'gateway', 'src', 'start.ts'), 'utf8')).toContain('serveService');
  });

  it('given the production overlay, then every hub container runs the released image', () => {
    for (const deployment of hubDeployments(production)) {
      expect(podSpec(deployment).containers[0]?.image).toBe('registry.gov.vn/vpcp/vn-policy-hub:1.0.0');
    }
  });

  it('given the compose file, then it starts every service from the image, and the gateway knows every subgraph', () => {
    const [compose] = readYaml(join(infra, 'compose.yaml')) as [
      { services: Record<string, { command?: string[]; environment?: Record<string, string> }> },
    ];
    const commands = Object.values(compose.services).flatMap((service) => service.command ?? []);
    expect(commands.sort()).toEqual(Object.keys(SERVICES).sort());
    const environment = compose.services.gateway?.environment ?? {};
    for (const subgraph of SUBGRAPHS) {
      expect(environment[`HUB_${subgraph.toUpperCase().replaceAll('-', '_')}_URL`], subgraph).toMatch(/^http:\/\//);
    }
  });
});
