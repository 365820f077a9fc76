export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export interface FetchedCard {
  url: string;
  cardUrl: string;
  card: Record<string, unknown>;
  name: string;
  description: string;
  version: string;
}

const CARD_PATHS = ['/.well-known/agent-card.json', '/.well-known/agent.json'];
const MAX_CARD_BYTES = 1024 * 1024;
const TIMEOUT_MS = 5000;

/** The peer's base URL and the card URLs to try, current name first (v0.2 peers serve agent.json). */
function locate(input: string): Outcome<{ base: string; candidates: string[] }> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, error: `"${input}" is not a URL. Give the agent's base URL, e.g. http://192.168.1.20:8000.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `Only http and https agents can be added, not ${url.protocol}.` };
  url.hash = '';
  url.search = '';
  const path = url.pathname.replace(/\/+$/, '');
  const named = CARD_PATHS.find((p) => path.endsWith(p));
  if (named) {
    const base = `${url.origin}${path.slice(0, -named.length)}`;
    return { ok: true, value: { base, candidates: [`${url.origin}${path}`] } };
  }
  const base = `${url.origin}${path}`;
  return { ok: true, value: { base, candidates: CARD_PATHS.map((p) => base + p) } };
}

async function readCard(cardUrl: string): Promise<Outcome<Record<string, unknown>> & { status?: number }> {
  let res: Response;
  try {
    res = await fetch(cardUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000}s` : ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
    return { ok: false, error: `Cannot reach ${cardUrl}: ${reason}.` };
  }
  if (!res.ok) {
    await res.body?.cancel();
    return { ok: false, status: res.status, error: `${cardUrl} answered HTTP ${res.status}.` };
  }
  const text = await res.text();
  if (text.length > MAX_CARD_BYTES) return { ok: false, error: `The card at ${cardUrl} is larger than ${MAX_CARD_BYTES} bytes.` };
  let card: unknown;
  try {
    card = JSON.parse(text);
  } catch {
    return { ok: false, error: `${cardUrl} did not return JSON.` };
  }
  if (typeof card !== 'object' || card === null || Array.isArray(card) || typeof (card as { name?: unknown }).name !== 'string') {
    return { ok: false, error: `${cardUrl} did not return an A2A agent card (a JSON object with a name).` };
  }
  return { ok: true, value: card as Record<string, unknown> };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Fetches an A2A agent's card from its base URL (or the card's own URL). */
export async function fetchPeerCard(input: string): Promise<Outcome<FetchedCard>> {
  const located = locate(input);
  if (!located.ok) return located;
  const { base, candidates } = located.value;
  let last: Outcome<Record<string, unknown>> | undefined;
  for (const cardUrl of candidates) {
    const result = await readCard(cardUrl);
    if (result.ok) {
      const card = result.value;
      return { ok: true, value: { url: base, cardUrl, card, name: str(card.name), description: str(card.description), version: str(card.version) } };
    }
    last = result;
    if (result.status !== 404) break;
  }
  return last as Outcome<FetchedCard>;
}
