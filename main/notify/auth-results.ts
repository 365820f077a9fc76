/**
 * The receiving server's verdict on a reply, from its Authentication-Results header (RFC 8601).
 * We never verify DKIM ourselves: the user's mail provider already did, at the border, with the
 * DNS it saw then. Only one header is trusted: the one of `authServId` when configured, else the
 * topmost, which the last server (the user's own provider) added above anything the sender wrote.
 */

export type AuthStrictness = 'off' | 'when-present' | 'required';

export interface AuthResult {
  method: string;
  result: string;
  props: Record<string, string>;
}

export interface AuthResultsHeader {
  authServId: string;
  results: AuthResult[];
}

export type AuthVerdict = { ok: true; note: string } | { ok: false; reason: string };

/** Drops (comments), which may nest, keeping quoted strings intact. */
function withoutComments(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (depth === 0) out += c;
      if (c === '\\') {
        if (depth === 0) out += text[i + 1] ?? '';
        i++;
      } else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"' && depth === 0) {
      quoted = true;
      out += c;
    } else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

export function parseAuthResults(value: string): AuthResultsHeader {
  const [head = '', ...rest] = withoutComments(value.replace(/\r?\n[ \t]/g, ' ')).split(';');
  const authServId = head.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const results: AuthResult[] = [];
  for (const part of rest) {
    const tokens = part.trim().match(/[^\s=]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^\s]+)|\S+/g) ?? [];
    const first = tokens[0];
    if (!first || !first.includes('=')) continue;
    const [method, result] = first.split('=').map((t) => t.trim().toLowerCase()) as [string, string];
    const props: Record<string, string> = {};
    for (const token of tokens.slice(1)) {
      const eq = token.indexOf('=');
      if (eq > 0) props[token.slice(0, eq).trim().toLowerCase()] = unquote(token.slice(eq + 1).trim());
    }
    results.push({ method, result, props });
  }
  return { authServId, results };
}

/** Same domain, or one inside the other (relaxed alignment), never a bare top-level domain. */
function aligned(a: string, b: string): boolean {
  a = a.toLowerCase().replace(/\.$/, '');
  b = b.toLowerCase().replace(/\.$/, '');
  if (a === b) return true;
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return short.includes('.') && long.endsWith(`.${short}`);
}

function signingDomain(r: AuthResult): string | undefined {
  const d = r.props['header.d'];
  if (d) return d;
  const i = r.props['header.i'];
  return i ? i.slice(i.lastIndexOf('@') + 1) : undefined;
}

/**
 * Decides on a reply from `headers` (every Authentication-Results value, topmost first) for the
 * domain of its From address.
 */
export function judgeAuthResults(headers: readonly string[], fromDomain: string, strictness: AuthStrictness, authServId?: string): AuthVerdict {
  if (strictness === 'off') return { ok: true, note: 'Authentication-Results not checked (authResults: off)' };
  const parsed = headers.map(parseAuthResults);
  const trusted = authServId ? parsed.find((h) => h.authServId === authServId.toLowerCase()) : parsed[0];
  const relevant = (trusted?.results ?? []).filter((r) => r.method === 'dkim' || r.method === 'dmarc');
  if (relevant.length === 0) {
    const what = authServId ? `no Authentication-Results of ${authServId} with a DKIM or DMARC result` : 'no Authentication-Results with a DKIM or DMARC result';
    if (strictness === 'required') return { ok: false, reason: `${what}, and authResults is "required"` };
    return { ok: true, note: what };
  }
  const dmarc = relevant.find((r) => r.method === 'dmarc' && r.result === 'pass' && aligned(r.props['header.from'] ?? fromDomain, fromDomain));
  if (dmarc) return { ok: true, note: `dmarc=pass for ${fromDomain} (${trusted!.authServId})` };
  const dkim = relevant.find((r) => r.method === 'dkim' && r.result === 'pass' && aligned(signingDomain(r) ?? '', fromDomain));
  if (dkim) return { ok: true, note: `dkim=pass for ${signingDomain(dkim)} (${trusted!.authServId})` };
  const said = relevant.map((r) => `${r.method}=${r.result}${signingDomain(r) ? ` (${signingDomain(r)})` : r.props['header.from'] ? ` (${r.props['header.from']})` : ''}`).join(', ');
  return { ok: false, reason: `${trusted!.authServId} says ${said}: neither DKIM nor DMARC passed for ${fromDomain}` };
}
