import type { AppInfo, IpcHandlers, LoginItem } from '../../shared/ipc-contract';
import { isExternalUrl } from './navigation';

/** What the handlers need from Electron, passed in so this table loads (and is tested) under plain Node. */
export interface IpcDeps {
  info: () => AppInfo;
  pickFolder: () => Promise<string | null>;
  openExternal: (url: string) => Promise<void>;
  loginItem: { get(): LoginItem; set(openAtLogin: boolean): LoginItem };
}

function requireUrl(request: unknown): string {
  const url = (request as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string') throw new TypeError('shell:openExternal needs { url: string }.');
  return url;
}

export function createIpcHandlers(deps: IpcDeps): IpcHandlers {
  return {
    'app:getInfo': () => deps.info(),
    'dialog:pickFolder': () => deps.pickFolder(),
    'shell:openExternal': async (request) => {
      // The request crossed a process boundary: its type is a claim, not a guarantee.
      const url = requireUrl(request);
      if (!isExternalUrl(url)) throw new Error(`Refusing to open ${JSON.stringify(url)}: only http(s) URLs open externally.`);
      await deps.openExternal(url);
    },
    'login:get': () => deps.loginItem.get(),
    'login:set': (request) => {
      const openAtLogin = (request as { openAtLogin?: unknown } | undefined)?.openAtLogin;
      if (typeof openAtLogin !== 'boolean') throw new TypeError('login:set needs { openAtLogin: boolean }.');
      return deps.loginItem.set(openAtLogin);
    },
  };
}
