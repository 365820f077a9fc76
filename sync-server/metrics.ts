/** Counters since start; gauges (connections, loaded docs) are read live when rendering. */
export interface Counters {
  connectionsAccepted: number;
  connectionsRejected: number;
  connectionsClosedForAbuse: number;
  messagesReceived: number;
  bytesReceived: number;
  bytesSent: number;
  updatesPersisted: number;
  bytesPersisted: number;
  compactions: number;
  docsUnloaded: number;
  fanoutPublished: number;
  fanoutReceived: number;
}

export function createCounters(): Counters {
  return {
    connectionsAccepted: 0,
    connectionsRejected: 0,
    connectionsClosedForAbuse: 0,
    messagesReceived: 0,
    bytesReceived: 0,
    bytesSent: 0,
    updatesPersisted: 0,
    bytesPersisted: 0,
    compactions: 0,
    docsUnloaded: 0,
    fanoutPublished: 0,
    fanoutReceived: 0,
  };
}

export interface Gauges {
  connections: number;
  docsLoaded: number;
  heapUsedBytes: number;
  rssBytes: number;
}

const help: Record<keyof Counters | keyof Gauges, string> = {
  connections: 'Open WebSocket connections',
  docsLoaded: 'Documents held in memory',
  heapUsedBytes: 'V8 heap in use',
  rssBytes: 'Resident set size',
  connectionsAccepted: 'Connections accepted since start',
  connectionsRejected: 'Connections refused at authentication',
  connectionsClosedForAbuse: 'Connections closed for a bad, oversized or too frequent message',
  messagesReceived: 'Messages received from clients',
  bytesReceived: 'Bytes received from clients',
  bytesSent: 'Bytes sent to clients',
  updatesPersisted: 'Yjs updates written to the store',
  bytesPersisted: 'Bytes of Yjs updates written to the store',
  compactions: 'Update logs compacted into snapshots',
  docsUnloaded: 'Documents unloaded from memory',
  fanoutPublished: 'Messages published to Redis',
  fanoutReceived: 'Messages received from other relays through Redis',
};

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Prometheus text exposition (version 0.0.4). */
export function renderPrometheus(counters: Counters, gauges: Gauges): string {
  const lines: string[] = [];
  const emit = (name: keyof Counters | keyof Gauges, type: 'counter' | 'gauge', value: number) => {
    const metric = `codetether_relay_${snake(name)}${type === 'counter' ? '_total' : ''}`;
    lines.push(`# HELP ${metric} ${help[name]}`, `# TYPE ${metric} ${type}`, `${metric} ${value}`);
  };
  for (const [name, value] of Object.entries(gauges)) emit(name as keyof Gauges, 'gauge', value);
  for (const [name, value] of Object.entries(counters)) emit(name as keyof Counters, 'counter', value);
  return lines.join('\n') + '\n';
}
