import type { IncomingMessage, ServerResponse } from 'node:http';

export type Params = Record<string, string>;
export type Handler = (req: IncomingMessage, res: ServerResponse, params: Params, url: URL) => void | Promise<void>;

interface PatternRoute {
  /** The pattern's regex source as built, before RegExp escapes its slashes. */
  source: string;
  regex: RegExp;
  names: string[];
  handlers: Map<string, Handler>;
}

export type Match =
  | { kind: 'found'; handler: Handler; params: Params }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

export interface Router {
  add(method: string | string[], path: string, handler: Handler): void;
  /**
   * Answers every path under `prefix` that no route matches, or whose `{param}` is not valid
   * percent-encoding, so a protocol can render those refusals in its own error shape (the A2A
   * HTTP+JSON binding wants its shape there too).
   */
  fallback(prefix: string, handler: Handler): void;
  match(method: string, path: string): Match;
}

/**
 * Routes by method and path. Static paths are one map lookup (the hot A2A endpoints);
 * patterns use `{name}` segments, which stop at `/` and `:` so `/tasks/{id}:cancel` works
 * the way the A2A HTTP+JSON binding spells its custom methods.
 */
export function createRouter(): Router {
  const statics = new Map<string, Map<string, Handler>>();
  const patterns: PatternRoute[] = [];
  const fallbacks: { prefix: string; handler: Handler }[] = [];

  function add(method: string | string[], path: string, handler: Handler): void {
    const methods = Array.isArray(method) ? method : [method];
    if (!path.includes('{')) {
      const byMethod = statics.get(path) ?? new Map<string, Handler>();
      for (const m of methods) byMethod.set(m, handler);
      statics.set(path, byMethod);
      return;
    }
    const names: string[] = [];
    const source = path
      .split(/(\{[a-zA-Z_]+\})/)
      .map((part) => {
        const m = /^\{([a-zA-Z_]+)\}$/.exec(part);
        if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]!);
        return '([^/:]+)';
      })
      .join('');
    let route = patterns.find((p) => p.source === source);
    if (!route) {
      route = { source, regex: new RegExp(`^${source}$`), names, handlers: new Map() };
      patterns.push(route);
    }
    for (const m of methods) route.handlers.set(m, handler);
  }

  function fallback(prefix: string, handler: Handler): void {
    fallbacks.push({ prefix, handler });
  }

  function match(method: string, path: string): Match {
    const lookup = method === 'HEAD' ? 'GET' : method;
    const byMethod = statics.get(path);
    if (byMethod) {
      const handler = byMethod.get(lookup);
      return handler ? { kind: 'found', handler, params: {} } : { kind: 'method-not-allowed', allow: [...byMethod.keys()] };
    }
    for (const route of patterns) {
      const m = route.regex.exec(path);
      if (!m) continue;
      const handler = route.handlers.get(lookup);
      if (!handler) return { kind: 'method-not-allowed', allow: [...route.handlers.keys()] };
      const params: Params = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      } catch (err) {
        const fb = fallbackFor(path);
        if (err instanceof URIError && fb) return { kind: 'found', handler: fb, params: {} };
        throw err;
      }
      return { kind: 'found', handler, params };
    }
    const fb = fallbackFor(path);
    return fb ? { kind: 'found', handler: fb, params: {} } : { kind: 'not-found' };
  }

  function fallbackFor(path: string): Handler | undefined {
    return fallbacks.find((f) => path === f.prefix || path.startsWith(`${f.prefix}/`))?.handler;
  }

  return { add, fallback, match };
}
