import { z } from 'zod';
import type { AppInfo, IpcChannel, IpcHandlers, IpcRequest, LoginItem } from '../../shared/ipc-contract';
import { isExternalUrl } from './navigation';

/** What the handlers need from Electron, passed in so this table loads (and is tested) under plain Node. */
export interface IpcDeps {
  info: () => AppInfo;
  pickFolder: () => Promise<string | null>;
  openExternal: (url: string) => Promise<void>;
  loginItem: { get(): LoginItem; set(openAtLogin: boolean): LoginItem };
}

type ChannelWithRequest = { [K in IpcChannel]: IpcRequest<K> extends void ? never : K }[IpcChannel];

/** A schema for each channel that takes a request: one added to the contract without one here does not compile. */
const requestSchemas: { [K in ChannelWithRequest]: z.ZodType<IpcRequest<K>> } = {
  'shell:openExternal': z.object({ url: z.string() }),
  'login:set': z.object({ openAtLogin: z.boolean() }),
};

/** The request crossed a process boundary: its type is a claim, not a guarantee, so it is parsed here. */
function parseRequest<K extends ChannelWithRequest>(channel: K, request: unknown): IpcRequest<K> {
  const parsed = requestSchemas[channel].safeParse(request);
  if (parsed.success) return parsed.data as IpcRequest<K>;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw new TypeError(`${channel} refused its request${field ? ` at "${field}"` : ''}: ${issue.message}.`);
}

export function createIpcHandlers(deps: IpcDeps): IpcHandlers {
  return {
    'app:getInfo': () => deps.info(),
    'dialog:pickFolder': () => deps.pickFolder(),
    'shell:openExternal': async (request) => {
      const { url } = parseRequest('shell:openExternal', request);
      if (!isExternalUrl(url)) throw new Error(`Refusing to open ${JSON.stringify(url)}: only http(s) URLs open externally.`);
      await deps.openExternal(url);
    },
    'login:get': () => deps.loginItem.get(),
    'login:set': (request) => deps.loginItem.set(parseRequest('login:set', request).openAtLogin),
  };
}
