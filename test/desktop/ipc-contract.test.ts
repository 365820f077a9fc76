import { describe, expect, it } from 'vitest';
import { createIpcHandlers, type IpcDeps } from '../../main/app/ipc-handlers';
import { ipcChannels, ipcEventMethods, ipcMethods } from '../../shared/ipc-contract';

function deps(opened: string[] = []): IpcDeps {
  let openAtLogin = false;
  return {
    loginItem: {
      get: () => ({ supported: true, openAtLogin }),
      set: (value) => ({ supported: true, openAtLogin: (openAtLogin = value) }),
    },
    info: () => ({ version: '9.9.9', hostUrl: 'http://127.0.0.1:1234', platform: 'linux' }),
    pickFolder: async () => '/home/me/code',
    openExternal: async (url) => {
      opened.push(url);
    },
  };
}

describe('IPC contract', () => {
  it('has a main/app handler for every channel, and no handler outside the contract', () => {
    const handlers = createIpcHandlers(deps());
    for (const channel of ipcChannels) expect(typeof handlers[channel], channel).toBe('function');
    expect(Object.keys(handlers).sort()).toEqual([...ipcChannels].sort());
  });

  it('gives every channel and event a distinct method name on window.codetether', () => {
    const names = [...Object.values(ipcMethods), ...Object.values(ipcEventMethods)];
    expect(new Set(names).size).toBe(names.length);
  });

  it('answers app:getInfo and dialog:pickFolder from the injected Electron parts', async () => {
    const handlers = createIpcHandlers(deps());
    expect(await handlers['app:getInfo']()).toEqual({ version: '9.9.9', hostUrl: 'http://127.0.0.1:1234', platform: 'linux' });
    expect(await handlers['dialog:pickFolder']()).toBe('/home/me/code');
  });

  it('reads and sets open-at-login, refusing a request that is not { openAtLogin: boolean }', async () => {
    const handlers = createIpcHandlers(deps());
    expect(await handlers['login:get']()).toEqual({ supported: true, openAtLogin: false });
    expect(await handlers['login:set']({ openAtLogin: true })).toEqual({ supported: true, openAtLogin: true });
    expect(await handlers['login:get']()).toEqual({ supported: true, openAtLogin: true });
    const set = handlers['login:set'] as (request: unknown) => unknown;
    expect(() => set({ openAtLogin: 'yes' })).toThrow(TypeError);
    expect(() => set({ openAtLogin: 'yes' })).toThrow(/login:set refused its request at "openAtLogin"/);
    expect(() => set(undefined)).toThrow(TypeError);
  });

  it('opens only http(s) URLs externally, whatever the renderer sends', async () => {
    const opened: string[] = [];
    const open = createIpcHandlers(deps(opened))['shell:openExternal'] as (request: unknown) => Promise<void>;
    await open({ url: 'https://example.com/docs' });
    await expect(open({ url: 'file:///etc/passwd' })).rejects.toThrow(/only http\(s\)/);
    await expect(open({ url: 'javascript:alert(1)' })).rejects.toThrow(/only http\(s\)/);
    await expect(open({ url: 42 })).rejects.toThrow(TypeError);
    await expect(open({ url: 42 })).rejects.toThrow(/at "url"/);
    await expect(open(undefined)).rejects.toThrow(TypeError);
    expect(opened).toEqual(['https://example.com/docs']);
  });
});
