/** One malformed request the fuzzer sends, and what kind of answer the spec demands for it. */
export interface FuzzCase {
  /** Category, so findings group by what was wrong with the request. */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Send without Content-Length (chunked), so only the streaming size check can stop it. */
  chunked?: boolean;
  expect: 'jsonrpc' | 'rest';
  /** The request is odd but legal (deep yet valid JSON, say): a success answer is fine, a crash or 5xx is not. */
  mayAccept?: boolean;
  /** For a JSON-RPC request whose envelope is valid: the id the error must echo. */
  id?: string | number | null;
}

export interface FuzzAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** A short, printable rendering of a case for failure reports. */
export function describeCase(c: FuzzCase): string {
  const body = c.body === undefined ? '' : typeof c.body === 'string' ? c.body : c.body.toString('latin1');
  const shown = body.length > 240 ? `${JSON.stringify(body.slice(0, 240))}... (${body.length} chars)` : JSON.stringify(body);
  const headers = Object.entries(c.headers).map(([k, v]) => `${k}: ${JSON.stringify(v).slice(0, 60)}`).join('; ');
  return `[${c.kind}] ${c.method} ${c.path.length > 120 ? c.path.slice(0, 120) + '...' : c.path} {${headers}}${c.chunked ? ' chunked' : ''} body=${shown}`;
}
