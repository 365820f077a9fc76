import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text(): string;
  destroy(): void;
}

/**
 * A real y-websocket provider in Node. BroadcastChannel is off: in one process it would let two
 * providers of the same room talk past the relay, and the tests are about the relay.
 */
export function connectClient(relayUrl: string, docName: string, token: string | undefined, doc = new Y.Doc()): Client {
  const provider = new WebsocketProvider(relayUrl, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
    maxBackoffTime: 300,
  });
  return {
    doc,
    provider,
    text: () => doc.getText('t').toString(),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function synced(client: Client, timeoutMs = 10_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not sync in time')), timeoutMs);
    client.provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The close event of a provider's connection that the server ended with a 44xx code. */
export function closedByServer(client: Client, timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connection was not closed by the relay')), timeoutMs);
    client.provider.once('closed', (event: { code: number; reason: string }) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}
