import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as the manifests write it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

type JsonPatch = { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown };

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  labels?: { pairs: Record<string, string> }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { path: string; target: { kind: string; name: string } }[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'labels', 'images', 'replicas', 'patches']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

export function readYaml(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message}`);
    return document.toJS();
  });
}

function applyPatch(target: unknown, patch: JsonPatch): void {
  const keys = patch.path
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  if (last === undefined) throw new Error(`patch path ${patch.path} names no field`);
  let node = target as Record<string, unknown>;
  for (const key of keys) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== 'object')
      throw new Error(`patch path ${patch.path} is not there`);
    node = next as Record<string, unknown>;
  }
  if (patch.op === 'remove') delete node[last];
  else if (patch.op === 'replace' && !(last in node))
    throw new Error(`patch replaces ${patch.path}, which is not there`);
  else node[last] = patch.value;
}

/**
 * What `kubectl kustomize` makes of a directory, for the subset of Kustomize the manifests use
 * (resources, namespace, labels, images, replicas, JSON 6902 patches); anything else is refused
 * so the test never passes over a field it does not understand.
 */
export function kustomize(dir: string): Manifest[] {
  const [config] = readYaml(join(dir, 'kustomization.yaml')) as [Kustomization];
  const unknown = Object.keys(config).filter((key) => !SUPPORTED.has(key));
  if (unknown.length > 0) throw new Error(`${dir}: unsupported kustomization fields ${unknown.join(', ')}`);
  const manifests: Manifest[] = [];
  for (const resource of config.resources ?? []) {
    const path = join(dir, resource);
    if (statSync(path).isDirectory()) manifests.push(...kustomize(path));
    else manifests.push(...(readYaml(path).filter((doc) => doc !== null) as Manifest[]));
  }
  for (const manifest of manifests) {
    if (config.namespace && !CLUSTER_SCOPED.has(manifest.kind)) manifest.metadata.namespace = config.namespace;
    for (const { pairs } of config.labels ?? []) manifest.metadata.labels = { ...manifest.metadata.labels, ...pairs };
    const containers = (manifest.spec as { template?: { spec?: { containers?: { image: string }[] } } } | undefined)
      ?.template?.spec?.containers;
    for (const container of containers ?? []) {
      const [name, tag] = container.image.split(':');
      const image = config.images?.find((entry) => entry.name === name);
      if (image) container.image = `${image.newName ?? name}:${image.newTag ?? tag}`;
    }
  }
  for (const { name, count } of config.replicas ?? []) {
    const target = manifests.find((m) => m.metadata.name === name && 'spec' in m);
    if (!target) throw new Error(`${dir}: replicas for ${name}, which is not there`);
    (target.spec as { replicas: number }).replicas = count;
  }
  for (const { path, target } of config.patches ?? []) {
    const manifest = manifests.find((m) => m.kind === target.kind && m.metadata.name === target.name);
    if (!manifest) throw new Error(`${dir}: patch ${path} targets ${target.kind} ${target.name}, which is not there`);
    const [operations] = readYaml(join(dir, path)) as [JsonPatch[]];
    for (const operation of operations) applyPatch(manifest, operation);
  }
  return manifests;
}
