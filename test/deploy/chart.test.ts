import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { envName } from '../../main/base/config';
import { configKeys } from '../../main/base/config-schema';
import { ensureHelm, helm } from './helm';

/**
 * The chart as helm renders it: a real helm (test/deploy/helm.ts says where it comes from) lints
 * it and renders it with several value sets; the manifests are then parsed and their wiring
 * checked (selectors, Secret keys, Service ports, probes). Nothing here reaches a cluster.
 */
const chart = join(import.meta.dirname, '../../deploy/helm/codetether');
const token = () => `ct_${randomBytes(32).toString('base64url')}`;

interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stringData?: Record<string, string>;
  data?: Record<string, string>;
}

/** Numbers and booleans as such (the values schema checks types), everything else as a string. */
function setArgs(values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([k, v]) => [/^(\d+|true|false)$/.test(v) ? '--set' : '--set-string', `${k}=${v}`]);
}

function render(values: Record<string, string>): Manifest[] {
  const result = helm(['template', 'team', chart, ...setArgs(values)]);
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

function refusal(values: Record<string, string>, extra: string[] = []): string {
  const result = helm(['template', 'team', chart, ...setArgs(values), ...extra]);
  expect(result.code).not.toBe(0);
  return result.stderr;
}

function one(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

/** Every secretKeyRef names a rendered Secret holding that key (or an optional key), every configMap a rendered ConfigMap. */
function expectRefsResolve(manifests: Manifest[], external: string[] = []): void {
  const secrets = new Map(manifests.filter((m) => m.kind === 'Secret').map((m) => [m.metadata.name, Object.keys(m.stringData ?? m.data ?? {})]));
  const configMaps = new Set(manifests.filter((m) => m.kind === 'ConfigMap').map((m) => m.metadata.name));
  for (const m of manifests.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
    const pod = m.spec!.template.spec;
    for (const c of pod.containers) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref || external.includes(ref.name)) continue;
        expect(secrets.has(ref.name), `${m.metadata.name}: Secret ${ref.name}`).toBe(true);
        if (!ref.optional) expect(secrets.get(ref.name), `${m.metadata.name}: ${ref.name}.${ref.key}`).toContain(ref.key);
      }
    }
    for (const v of pod.volumes ?? []) if (v.configMap) expect(configMaps.has(v.configMap.name)).toBe(true);
  }
}

/** Each Service selects the pods of some workload and targets a named port they declare. */
function expectServicesWired(manifests: Manifest[]): void {
  const workloads = manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet');
  for (const s of manifests.filter((m) => m.kind === 'Service')) {
    const target = workloads.find((w) => Object.entries(s.spec!.selector as Record<string, string>).every(([k, v]) => w.spec!.template.metadata.labels[k] === v));
    expect(target, `Service ${s.metadata.name} selects no workload`).toBeDefined();
    expect(target!.spec!.selector.matchLabels).toEqual(s.spec!.selector);
    const ports = (target!.spec!.template.spec.containers as { ports: { name: string }[] }[]).flatMap((c) => c.ports.map((p) => p.name));
    for (const p of s.spec!.ports) expect(ports, `Service ${s.metadata.name} port ${p.targetPort}`).toContain(p.targetPort);
  }
}

function hostContainer(manifests: Manifest[]) {
  return one(manifests, 'Deployment', 'team-codetether-host').spec!.template.spec.containers[0];
}

function envOf(container: { env: { name: string; value?: string }[] }): Map<string, { name: string; value?: string }> {
  return new Map(container.env.map((e) => [e.name, e]));
}

describe('the Helm chart', () => {
  beforeAll(() => void ensureHelm(), 300_000);

  it('passes helm lint --strict', () => {
    const result = helm(['lint', '--strict', chart, '--set-string', `auth.token=${token()}`]);
    expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
    expect(result.code).toBe(0);
  });

  it('renders one SQLite host on a kept volume, the relay with bundled Redis, an SSE-friendly Ingress', () => {
    const t = token();
    const manifests = render({ 'auth.token': t });
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'Deployment/team-codetether-host',
      'Deployment/team-codetether-relay',
      'Ingress/team-codetether',
      'PersistentVolumeClaim/team-codetether-host-data',
      'PersistentVolumeClaim/team-codetether-relay-data',
      'Secret/team-codetether-auth',
      'Service/team-codetether-host',
      'Service/team-codetether-redis',
      'Service/team-codetether-relay',
      'StatefulSet/team-codetether-redis',
    ]);
    const host = one(manifests, 'Deployment', 'team-codetether-host');
    expect(host.spec!.replicas).toBe(1);
    expect(host.spec!.strategy.type).toBe('Recreate');
    const pod = host.spec!.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'team-codetether-host-data' } });
    expect(one(manifests, 'PersistentVolumeClaim', 'team-codetether-host-data').metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });

    const c = hostContainer(manifests);
    expect(c.args).toEqual(['serve']);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[probe].httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    const env = envOf(c);
    expect(env.get('CODETETHER_HOST')!.value).toBe('0.0.0.0');
    expect(env.get('CODETETHER_PUBLIC_URL')!.value).toBe('http://codetether.example.com');
    expect(env.has('CODETETHER_STORE')).toBe(false);
    expect(one(manifests, 'Secret', 'team-codetether-auth').stringData).toEqual({ token: t });

    const ingress = one(manifests, 'Ingress', 'team-codetether');
    const annotations = ingress.metadata.annotations!;
    expect(annotations['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    const backends = (ingress.spec!.rules as { host: string; http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[]).map((r) => [
      r.host,
      r.http.paths[0]!.backend.service.name,
      r.http.paths[0]!.backend.service.port.name,
    ]);
    expect(backends).toEqual([
      ['codetether.example.com', 'team-codetether-host', 'http'],
      ['relay.codetether.example.com', 'team-codetether-relay', 'ws'],
    ]);
    for (const [, name, port] of backends) expect(one(manifests, 'Service', name!).spec!.ports.map((p: { name: string }) => p.name)).toContain(port);

    const relay = one(manifests, 'Deployment', 'team-codetether-relay').spec!.template.spec.containers[0];
    expect(relay.args).toEqual(['serve', '--host', '0.0.0.0', '--port', '8787', '--data-dir', '/data', '--redis', 'redis://team-codetether-redis:6379']);
    expectServicesWired(manifests);
    expectRefsResolve(manifests);
  });

  it('renders several replicas on the bundled PostgreSQL, with OpenID sign-in and config', () => {
    const manifests = render({
      'auth.token': token(),
      'auth.workerToken': token(),
      'store.type': 'postgres',
      'host.replicas': '3',
      'postgresql.password': 'p@ss w+rd',
      'oidc.enabled': 'true',
      'oidc.issuer': 'https://sso.example.com/realms/team',
      'oidc.clientId': 'codetether',
      'oidc.clientSecret': 'shh',
      'host.config.llmModel': 'qwen',
      'ingress.tls.enabled': 'true',
    });
    const host = one(manifests, 'Deployment', 'team-codetether-host');
    expect(host.spec!.replicas).toBe(3);
    expect(host.spec!.strategy.type).toBe('RollingUpdate');
    expect(host.spec!.template.spec.volumes).toContainEqual({ name: 'data', emptyDir: {} });
    expect(manifests.some((m) => m.kind === 'PersistentVolumeClaim' && m.metadata.name === 'team-codetether-host-data')).toBe(false);

    const store = one(manifests, 'Secret', 'team-codetether-store').stringData!;
    expect(store.url).toBe('postgres://codetether:p%40ss%20w%2Brd@team-codetether-postgres:5432/codetether');
    expect(decodeURIComponent(new URL(store.url!).password)).toBe('p@ss w+rd');
    const env = envOf(hostContainer(manifests));
    expect(env.get('CODETETHER_STORE')).toEqual({ name: 'CODETETHER_STORE', valueFrom: { secretKeyRef: { name: 'team-codetether-store', key: 'url' } } });
    expect(env.get('CODETETHER_PUBLIC_URL')!.value).toBe('https://codetether.example.com');
    expect(env.get('CODETETHER_CONFIG')!.value).toBe('/etc/codetether/config.json');
    expect(env.get('CODETETHER_OIDC_CLIENT_SECRET')).toBeDefined();
    const config = JSON.parse(one(manifests, 'ConfigMap', 'team-codetether-config').data!['config.json']!) as Record<string, unknown>;
    expect(config).toEqual({ llmModel: 'qwen', oidc: { issuer: 'https://sso.example.com/realms/team', clientId: 'codetether', scopesToRoles: { admin: ['admin'] } } });
    expect(one(manifests, 'StatefulSet', 'team-codetether-postgres').spec!.template.spec.containers[0].image).toMatch(/^postgres:/);
    expectServicesWired(manifests);
    expectRefsResolve(manifests);
  });

  it('takes an external PostgreSQL and Redis and Secrets it does not manage', () => {
    const manifests = render({
      'auth.existingSecret': 'team-tokens',
      'store.type': 'postgres',
      'store.postgres.bundled': 'false',
      'store.postgres.existingSecret': 'team-db',
      'redis.bundled': 'false',
      'redis.url': 'redis://cache.internal:6379',
      'host.replicas': '2',
    });
    expect(manifests.filter((m) => m.kind === 'Secret' || m.kind === 'StatefulSet')).toEqual([]);
    expect(envOf(hostContainer(manifests)).get('CODETETHER_STORE')!).toMatchObject({ valueFrom: { secretKeyRef: { name: 'team-db', key: 'url' } } });
    expect(one(manifests, 'Deployment', 'team-codetether-relay').spec!.template.spec.containers[0].args.slice(-2)).toEqual(['--redis', 'redis://cache.internal:6379']);
    expectServicesWired(manifests);
    expectRefsResolve(manifests, ['team-tokens', 'team-db']);
  });

  it('sets only environment variables the host or its entrypoint reads', () => {
    const known = new Set([
      ...configKeys.map(envName),
      'CODETETHER_CONFIG',
      'CODETETHER_STORE',
      'CODETETHER_OIDC_CLIENT_SECRET',
      'CODETETHER_TOKEN',
      'CODETETHER_TOKEN_SCOPES',
      'CODETETHER_WORKER_TOKEN',
    ]);
    const manifests = render({ 'auth.token': token(), 'store.type': 'postgres', 'postgresql.password': 'x', 'oidc.enabled': 'true', 'oidc.issuer': 'https://sso.example.com', 'oidc.clientId': 'c', 'oidc.clientSecret': 's' });
    for (const name of envOf(hostContainer(manifests)).keys()) expect(known, name).toContain(name);
  });

  it('refuses values that cannot work, saying which and why', () => {
    expect(refusal({ 'auth.token': token(), 'host.replicas': '2' }, [])).toContain('host.replicas > 1 needs store.type=postgres');
    expect(refusal({})).toContain('auth.token is required');
    expect(refusal({ 'auth.token': 'ct_short' })).toContain('auth.token must be "ct_" and 43 base64url characters');
    expect(refusal({ 'auth.token': token(), 'store.type': 'postgres' })).toContain('postgresql.password is required');
    expect(refusal({ 'auth.token': token(), 'store.type': 'postgres', 'store.postgres.bundled': 'false' })).toContain('store.postgres.url');
    expect(refusal({ 'auth.token': token(), 'store.type': 'mysql' })).toContain("at '/store/type': value must be one of 'sqlite', 'postgres'");
    expect(refusal({ 'auth.token': token(), 'oidc.enabled': 'true' })).toContain('oidc.issuer is required');
  });
});
