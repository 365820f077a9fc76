import { describe, expect, it } from 'vitest';
import type { RemoteCodebaseRow } from '../../main/store/roaming-repository';
import { knownCodebases } from '../../main/sync/known-codebases';

const remote = (device: string, name: string, updatedAt: number, defaultAgent: string | null, deviceName: string | null = null): RemoteCodebaseRow => ({
  device, name, updatedAt, defaultAgent, allowedAgents: [], deviceName,
});

describe('knownCodebases: where the devices\' entries meet', () => {
  it('this device\'s own registration wins; other devices are listed by display name, else id', () => {
    const local = [{ name: 'app', path: '/here/app', defaultAgent: 'echo', allowedAgents: [], createdAt: 5 }];
    const list = knownCodebases(local, [remote('dB', 'app', 9, null, 'laptop'), remote('dC', 'app', 8, 'claude')]);
    expect(list).toEqual([{ ...local[0], onThisDevice: true, elsewhere: ['laptop', 'dC'] }]);
  });

  it('a name only other devices have takes the newest entry\'s rules, ties to the smaller device id, whatever the order', () => {
    const rows = [remote('dB', 'lib', 7, 'claude'), remote('dA', 'lib', 7, 'codex'), remote('dZ', 'lib', 3, 'gemini')];
    for (const order of [rows, [...rows].reverse()]) {
      const [lib] = knownCodebases([], order);
      expect(lib).toMatchObject({ name: 'lib', path: null, defaultAgent: 'codex', createdAt: 7, onThisDevice: false });
    }
    expect(knownCodebases([], [remote('dB', 'lib', 8, 'claude'), remote('dA', 'lib', 7, 'codex')])[0]!.defaultAgent).toBe('claude');
  });
});
