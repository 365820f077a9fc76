import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copyArgs, envPairs, execForm, healthcheck, last, parseDockerfile } from './dockerfile';

/**
 * Runs a Dockerfile's steps on this machine, without Docker, so CI proves what an image build
 * would do: the same COPYs from a build context with .dockerignore applied, the same RUN lines
 * in the same order, then the last stage's ENTRYPOINT and CMD as its USER. Each stage gets a
 * directory of its own standing for the image's filesystem. What differs from Docker, and why:
 * - The base image is this machine: its Node must be the image's major version (checked).
 * - `apt-get install` lines are not run (they would change this machine, and their
 *   `rm -rf /var/lib/apt/lists/*` would empty its apt lists): each package they name must
 *   already be installed here (checked with dpkg).
 * - The image's absolute directories (those of WORKDIR and VOLUME) are mapped into the stage's
 *   directory, also where a RUN line or an ENV value names them.
 * - The image's user `node` (uid 1000 in the Node images) is `nobody` here, when run as root.
 */

export interface RunnableImage {
  /** The image's filesystem, as a directory. */
  root: string;
  /** WORKDIR, mapped. */
  cwd: string;
  /** The ENV of the image, mapped. */
  env: Record<string, string>;
  /** ENTRYPOINT followed by CMD. */
  command: string[];
  /** HEALTHCHECK's CMD (shell form). */
  healthcheck: string;
  /** The uid and gid the image's USER stands for here. */
  user: { uid: number; gid: number };
}

export interface StepTiming {
  step: string;
  ms: number;
}

const imageUser = 'node';

function localUser(): { uid: number; gid: number } {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : { uid: process.getuid!(), gid: process.getgid!() };
}

/** The build context: the working tree's files (tracked or not, never git-ignored) less .dockerignore's entries. */
export function copyContext(repo: string, to: string): void {
  const ignore = readFileSync(join(repo, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const ignored = (f: string) => ignore.some((p) => (p.startsWith('*') ? f.endsWith(p.slice(1)) : f === p || f.startsWith(`${p}/`)));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (ignored(file) || !existsSync(join(repo, file))) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(repo, file), join(to, file), { verbatimSymlinks: true });
  }
}

function aptPackages(run: string): string[] | undefined {
  const m = /^apt-get update -qq && apt-get install -y -qq --no-install-recommends ([\w.+\- ]+) && rm -rf \/var\/lib\/apt\/lists\/\*$/.exec(run);
  if (!m) {
    if (run.includes('apt-get')) throw new Error(`an apt-get line in an unexpected form: ${run}`);
    return undefined;
  }
  return m[1]!.trim().split(/\s+/);
}

function expectInstalled(packages: string[]): void {
  for (const pkg of packages) {
    let status = '';
    try {
      status = execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      // Not known to dpkg at all: reported below.
    }
    if (!status.includes('install ok installed')) throw new Error(`the image installs the Debian package ${pkg}; install it here (apt-get install ${pkg}) to run its steps`);
  }
}

/** Builds every stage of `dockerfile` from `context` under `work`; returns the last stage, ready to start. */
export function buildImage(dockerfile: string, context: string, work: string, timings: StepTiming[] = []): RunnableImage {
  const stages = parseDockerfile(dockerfile);
  const roots = new Map<string, string>();
  const user = localUser();
  let image: RunnableImage | undefined;
  for (const [index, stage] of stages.entries()) {
    const nodeMajor = /^node:(\d+)/.exec(stage.image)?.[1];
    if (nodeMajor !== process.versions.node.split('.')[0]) throw new Error(`stage ${index} is ${stage.image}; this machine runs Node ${process.versions.node}`);
    const root = join(work, `stage-${index}`);
    mkdirSync(root, { recursive: true });
    chmodSync(root, 0o755);
    if (stage.name) roots.set(stage.name, root);
    const absolute = stage.instructions.filter((i) => i.keyword === 'WORKDIR' || i.keyword === 'VOLUME').map((i) => i.args);
    const pattern = absolute.length ? new RegExp(`(^|[\\s=:'"(])(${absolute.map((a) => a.replace(/[/.]/g, '\\$&')).join('|')})(?=$|[\\s/'";)])`, 'g') : undefined;
    const mapped = (text: string) => (pattern ? text.replace(pattern, (_, before: string, path: string) => before + join(root, path)) : text);
    const inImage = (path: string, cwd: string) => (path.startsWith('/') ? join(root, path) : join(cwd, path));
    let cwd = root;
    const env: Record<string, string> = {};
    for (const instruction of stage.instructions) {
      const started = Date.now();
      switch (instruction.keyword) {
        case 'WORKDIR':
          cwd = join(root, instruction.args);
          mkdirSync(cwd, { recursive: true });
          break;
        case 'ENV':
          for (const [k, v] of envPairs(instruction)) env[k] = mapped(v);
          break;
        case 'COPY': {
          const copy = copyArgs(instruction);
          const from = copy.from === undefined ? context : roots.get(copy.from);
          if (!from) throw new Error(`line ${instruction.line}: no stage ${copy.from}`);
          for (const source of copy.sources) {
            const src = copy.from === undefined ? join(from, source) : join(from, source);
            let dest = inImage(copy.dest, cwd);
            if (!lstatSync(src).isDirectory() && (copy.dest.endsWith('/') || copy.dest === '.' || copy.sources.length > 1)) dest = join(dest, source.split('/').at(-1)!);
            mkdirSync(lstatSync(src).isDirectory() ? dest : dirname(dest), { recursive: true });
            cpSync(src, dest, { recursive: true, verbatimSymlinks: true });
          }
          if (copy.chown) throw new Error(`line ${instruction.line}: COPY --chown is not supported here`);
          break;
        }
        case 'RUN': {
          const packages = aptPackages(instruction.args);
          if (packages) {
            expectInstalled(packages);
            break;
          }
          const command = mapped(instruction.args).replaceAll(`${imageUser}:${imageUser}`, `${user.uid}:${user.gid}`);
          execFileSync('sh', ['-c', command], {
            cwd,
            env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
            maxBuffer: 64 * 1024 * 1024,
          });
          timings.push({ step: `stage ${index}: RUN ${instruction.args}`, ms: Date.now() - started });
          break;
        }
        case 'USER':
          if (instruction.args !== imageUser) throw new Error(`line ${instruction.line}: USER ${instruction.args} (only ${imageUser} is mapped here)`);
          break;
        case 'ARG':
        case 'EXPOSE':
        case 'VOLUME':
        case 'STOPSIGNAL':
        case 'HEALTHCHECK':
        case 'ENTRYPOINT':
        case 'CMD':
          break;
        default:
          throw new Error(`line ${instruction.line}: ${instruction.keyword} is not supported here`);
      }
    }
    if (index < stages.length - 1) continue;
    image = {
      root,
      cwd,
      env,
      command: [...execForm(last(stage, 'ENTRYPOINT')!), ...execForm(last(stage, 'CMD')!)],
      healthcheck: healthcheck(last(stage, 'HEALTHCHECK')!).command,
      user,
    };
  }
  return image!;
}

/** Runs `argv` in the image as its user, with the image's env plus `extra` (what `docker run -e` adds). */
export function runInImage(image: RunnableImage, argv: string[], extra: Record<string, string>) {
  const asUser = process.getuid?.() === 0 ? ['setpriv', `--reuid=${image.user.uid}`, `--regid=${image.user.gid}`, '--clear-groups', '--'] : [];
  const [command, ...args] = [...asUser, ...argv];
  return spawn(command!, args, { cwd: image.cwd, env: { PATH: process.env.PATH, HOME: '/nonexistent', ...image.env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Gives the image's user a directory of its own (a TMPDIR, say). */
export function ownDir(image: RunnableImage, dir: string): string {
  if (process.getuid?.() === 0) chownSync(dir, image.user.uid, image.user.gid);
  return dir;
}
