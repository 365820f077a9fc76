import type { Db } from './open';

export interface A2aPeer {
  /** The base URL the user added, normalized (no trailing slash). */
  url: string;
  /** Where the card was fetched from. */
  cardUrl: string;
  name: string;
  description: string;
  version: string;
  card: Record<string, unknown>;
  addedAt: number;
  fetchedAt: number;
}

interface PeerRow {
  url: string;
  card_url: string;
  name: string;
  description: string;
  version: string;
  card_json: string;
  added_at: number;
  fetched_at: number;
}

const fromRow = (r: PeerRow): A2aPeer => ({
  url: r.url,
  cardUrl: r.card_url,
  name: r.name,
  description: r.description,
  version: r.version,
  card: JSON.parse(r.card_json) as Record<string, unknown>,
  addedAt: r.added_at,
  fetchedAt: r.fetched_at,
});

/** Known A2A peers. */
export interface A2aPeerRepository {
  /** Adds the peer, or refreshes its card and keeps its addedAt. */
  put(peer: A2aPeer): A2aPeer;
  list(): A2aPeer[];
  /** False when no peer had that URL. */
  remove(url: string): boolean;
}

export function createA2aPeerRepository(db: Db): A2aPeerRepository {
  const s = {
    upsert: db.prepare(
      `INSERT INTO a2a_peers (url, card_url, name, description, version, card_json, added_at, fetched_at)
       VALUES (@url, @cardUrl, @name, @description, @version, @card, @addedAt, @fetchedAt)
       ON CONFLICT(url) DO UPDATE SET card_url = excluded.card_url, name = excluded.name, description = excluded.description,
         version = excluded.version, card_json = excluded.card_json, fetched_at = excluded.fetched_at`,
    ),
    get: db.prepare<[string], PeerRow>('SELECT * FROM a2a_peers WHERE url = ?'),
    list: db.prepare<[], PeerRow>('SELECT * FROM a2a_peers ORDER BY name, url'),
    remove: db.prepare('DELETE FROM a2a_peers WHERE url = ?'),
  };
  return {
    put(peer) {
      s.upsert.run({ ...peer, card: JSON.stringify(peer.card) });
      return fromRow(s.get.get(peer.url)!);
    },
    list: () => s.list.all().map(fromRow),
    remove: (url) => s.remove.run(url).changes === 1,
  };
}
