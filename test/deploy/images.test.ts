import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configKeys } from '../../main/base/config-schema';
import { envName } from '../../main/base/config';
import { copyArgs, envPairs, execForm, healthcheck, last, parseDockerfile, type Stage } from './dockerfile';

/**
 * What can be checked of the images and the compose file without a Docker engine: the
 * Dockerfiles' shape (stages, user, health check, volume, what they copy) and the compose
 * file's service graph with its nginx config. host-image.test.ts runs the host image's steps.
 */
const root = join(import.meta.dirname, '../..');
const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

function inContext(path: string): boolean {
  const clean = path.replace(/^\.\//, '').replace(/\/$/, '');
  if (dockerignore.some((p) => clean === p || clean.startsWith(`${p}/`))) return false;
  return clean === '.' || tracked.some((f) => f === clean || f.startsWith(`${clean}/`));
}

function envOf(stage: Stage): Map<string, string> {
  return new Map(stage.instructions.filter((i) => i.keyword === 'ENV').flatMap(envPairs));
}

function expectImageStandard(file: string, port: number): Stage[] {
  const stages = parseDockerfile(join(root, file));
  expect(stages.length, `${file}: a build stage and a runtime stage`).toBeGreaterThanOrEqual(2);
  const runtime = stages.at(-1)!;
  expect(new Set(stages.map((s) => s.image)).size, `${file}: one Node image for building and running`).toBe(1);

  const keywords = runtime.instructions.map((i) => i.keyword);
  const user = last(runtime, 'USER');
  expect(user?.args, `${file}: runs as a non-root user`).toBe('node');
  expect(keywords.lastIndexOf('RUN')).toBeLessThan(keywords.lastIndexOf('USER'));
  expect(runtime.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' '), `${file}: no compiler in the runtime image`).not.toMatch(/\bg\+\+|\bmake\b|python3/);

  expect(last(runtime, 'VOLUME')?.args).toBe('/data');
  expect(runtime.instructions.some((i) => i.keyword === 'RUN' && /chown node:node \/data/.test(i.args)), `${file}: /data belongs to the user`).toBe(true);
  expect(Number(last(runtime, 'EXPOSE')?.args)).toBe(port);

  const check = healthcheck(last(runtime, 'HEALTHCHECK')!);
  expect(check.command).toContain('/healthz');
  expect(check.options).toMatchObject({ interval: expect.any(String), timeout: expect.any(String), 'start-period': expect.any(String) });
  expect(execForm(last(runtime, 'ENTRYPOINT')!).slice(0, 2)).toEqual(['tini', '--']);

  const names = stages.map((s) => s.name);
  for (const [i, stage] of stages.entries()) {
    for (const copy of stage.instructions.filter((x) => x.keyword === 'COPY').map(copyArgs)) {
      if (copy.from !== undefined) {
        expect(names.slice(0, i), `${file}: COPY --from=${copy.from} names an earlier stage`).toContain(copy.from);
      } else {
        for (const source of copy.sources) expect(inContext(source), `${file}: ${source} is in the build context`).toBe(true);
      }
    }
  }
  return stages;
}

describe('the images', () => {
  it('host: multi-stage, non-root, health check on /healthz, /data a volume, served on 0.0.0.0', () => {
    const stages = expectImageStandard('build/host.Dockerfile', 8000);
    const runtime = stages.at(-1)!;
    const env = envOf(runtime);
    expect(Object.fromEntries(env)).toMatchObject({ CODETETHER_DATA_DIR: '/data', CODETETHER_HOST: '0.0.0.0', CODETETHER_PORT: '8000' });
    for (const name of env.keys()) if (name.startsWith('CODETETHER_')) expect(configKeys.map(envName), name).toContain(name);
    expect(healthcheck(last(runtime, 'HEALTHCHECK')!).command).toContain('process.env.CODETETHER_PORT');
    expect(execForm(last(runtime, 'ENTRYPOINT')!)).toEqual(['tini', '--', 'build/host-entrypoint.sh']);
    expect(execForm(last(runtime, 'CMD')!)).toEqual(['serve']);
    accessSync(join(root, 'build/host-entrypoint.sh'), constants.X_OK);
    // The runtime copies the monitor's bundle, which only the build stage's electron-vite build makes.
    expect(stages[0]!.instructions.some((i) => i.keyword === 'RUN' && i.args.includes('electron-vite build'))).toBe(true);
    expect(stages[0]!.instructions.some((i) => i.keyword === 'RUN' && i.args.startsWith('npm prune --omit=dev'))).toBe(true);
  });

  it('relay: the same standard, its data dir the volume', () => {
    const stages = expectImageStandard('build/relay.Dockerfile', 8787);
    const runtime = stages.at(-1)!;
    expect(envOf(runtime).get('CODETETHER_RELAY_DATA_DIR')).toBe('/data');
    const cmd = execForm(last(runtime, 'CMD')!);
    expect(cmd.slice(cmd.indexOf('--data-dir'), cmd.indexOf('--data-dir') + 2)).toEqual(['--data-dir', '/data']);
    expect(cmd.slice(cmd.indexOf('--port'), cmd.indexOf('--port') + 2)).toEqual(['--port', '8787']);
    expect(healthcheck(last(runtime, 'HEALTHCHECK')!).command).toContain('127.0.0.1:8787/healthz');
  });
});

interface ComposeService {
  build?: { context: string; dockerfile: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  secrets?: string[];
  depends_on?: Record<string, { condition: string }>;
}

interface Compose {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, null>;
}

describe('deploy/compose.yaml', () => {
  const dir = join(root, 'deploy');
  const compose = parse(readFileSync(join(dir, 'compose.yaml'), 'utf8'), { merge: true }) as Compose;
  const nginx = readFileSync(join(dir, 'nginx.conf'), 'utf8');

  it('runs two host replicas, postgres, redis, the relay and a proxy, started in dependency order', () => {
    const services = compose.services;
    expect(Object.keys(services).sort()).toEqual(['host-a', 'host-b', 'postgres', 'proxy', 'redis', 'relay']);
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services, `${name} depends on ${dep}`).toHaveProperty(dep);
        expect(condition).toBe('service_healthy');
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect(existsSync(join(dir, source)), `${name}: ${source}`).toBe(true);
        else expect(compose.volumes, `${name}: volume ${source}`).toHaveProperty(source);
      }
      for (const secret of service.secrets ?? []) expect(compose.secrets, `${name}: secret ${secret}`).toHaveProperty(secret);
      if (service.build) expect(existsSync(join(dir, service.build.context, service.build.dockerfile))).toBe(true);
    }
    // A cycle would keep compose from starting anything.
    const visiting = new Set<string>();
    const visit = (name: string): void => {
      expect(visiting.has(name), `dependency cycle through ${name}`).toBe(false);
      visiting.add(name);
      for (const dep of Object.keys(services[name]!.depends_on ?? {})) visit(dep);
      visiting.delete(name);
    };
    for (const name of Object.keys(services)) visit(name);
    expect(Object.keys(services.proxy!.depends_on!).sort()).toEqual(['host-a', 'host-b', 'relay']);
  });

  it('gives each host replica its own /data, the same image, tokens as secret files and only settings the host reads', () => {
    const a = compose.services['host-a']!;
    const b = compose.services['host-b']!;
    expect(a.volumes).toEqual(['host-a-data:/data']);
    expect(b.volumes).toEqual(['host-b-data:/data']);
    expect(a.build).toEqual({ context: '..', dockerfile: 'build/host.Dockerfile' });
    expect({ ...a, volumes: undefined }).toEqual({ ...b, volumes: undefined });
    const known = [...configKeys.map(envName), 'CODETETHER_STORE', 'CODETETHER_TOKEN_FILE', 'CODETETHER_WORKER_TOKEN_FILE'];
    for (const name of Object.keys(a.environment!)) expect(known, name).toContain(name);
    expect(a.environment!.CODETETHER_TOKEN_FILE).toBe('/run/secrets/codetether_token');
    expect(a.secrets).toContain('codetether_token');
    expect(compose.secrets.codetether_token!.file).toBe('./secrets/token');
  });

  it('points the relay at redis and the proxy at the replicas and the relay, with nothing buffered and long reads', () => {
    expect(compose.services.relay!.command).toEqual(['serve', '--host', '0.0.0.0', '--port', '8787', '--data-dir', '/data', '--redis', 'redis://redis:6379']);
    expect(compose.services.proxy!.volumes).toEqual(['./nginx.conf:/etc/nginx/nginx.conf:ro']);
    const upstream = (name: string) => [...new RegExp(`upstream ${name} \\{([^}]*)\\}`).exec(nginx)![1]!.matchAll(/server (\S+?)(?:\s|;)/g)].map((m) => m[1]);
    expect(upstream('codetether_hosts')).toEqual(['host-a:8000', 'host-b:8000']);
    expect(upstream('codetether_relay')).toEqual(['relay:8787']);
    const listens = [...nginx.matchAll(/listen (\d+);/g)].map((m) => `${m[1]}:${m[1]}`);
    expect(compose.services.proxy!.ports!.sort()).toEqual(listens.sort());
    const hostBlock = /location \/ \{\s*proxy_pass http:\/\/codetether_hosts;([^}]*)\}/.exec(nginx)![1]!;
    expect(hostBlock).toContain('proxy_buffering off;');
    expect(hostBlock).toContain('proxy_http_version 1.1;');
    expect(Number(/proxy_read_timeout (\d+)h;/.exec(hostBlock)![1]) * 3600).toBeGreaterThanOrEqual(3600);
    const relayBlock = /location \/ \{\s*proxy_pass http:\/\/codetether_relay;([^}]*)\}/.exec(nginx)![1]!;
    expect(relayBlock).toContain('proxy_set_header Upgrade $http_upgrade;');
  });
});
