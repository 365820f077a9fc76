/**
 * The one description of what the renderer may ask the Electron main process. Everything else
 * (tasks, sessions, health) goes over HTTP/SSE to the host, so the desktop window and a browser
 * tab on the same host see the same monitor; IPC is only for what needs the desktop shell.
 */

export interface AppInfo {
  version: string;
  /** Origin of the in-process host, e.g. `http://127.0.0.1:8000`. */
  hostUrl: string;
  platform: string;
}

/** Whether the app starts with the user's session; `supported` is false where Electron cannot set it (Linux). */
export interface LoginItem {
  supported: boolean;
  openAtLogin: boolean;
}

export interface IpcContract {
  'app:getInfo': { request: void; response: AppInfo };
  /** Folder picker for registering a codebase; null when the user cancels. */
  'dialog:pickFolder': { request: void; response: string | null };
  /** Opens an http(s) URL in the system browser; other schemes are refused. */
  'shell:openExternal': { request: { url: string }; response: void };
  'login:get': { request: void; response: LoginItem };
  'login:set': { request: { openAtLogin: boolean }; response: LoginItem };
}

/** What main tells the page unasked, on the same trust terms: only our own window receives these. */
export interface IpcEvents {
  /** Show this task: the user clicked a notification about it. */
  'nav:openTask': { taskId: string };
}

export type IpcChannel = keyof IpcContract;
export type IpcRequest<K extends IpcChannel> = IpcContract[K]['request'];
export type IpcResponse<K extends IpcChannel> = IpcContract[K]['response'];
export type IpcEventChannel = keyof IpcEvents;

/**
 * Channel -> method name on `window.codetether`. `satisfies` makes a channel added to the
 * contract without a method here a compile error, and this object is also the runtime list
 * of channels that preload exposes and main/app registers.
 */
export const ipcMethods = {
  'app:getInfo': 'getInfo',
  'dialog:pickFolder': 'pickFolder',
  'shell:openExternal': 'openExternal',
  'login:get': 'getLoginItem',
  'login:set': 'setLoginItem',
} as const satisfies Record<IpcChannel, string>;

export const ipcChannels = Object.keys(ipcMethods) as IpcChannel[];

/** Event channel -> subscribe method on `window.codetether`, which returns the unsubscribe. */
export const ipcEventMethods = {
  'nav:openTask': 'onOpenTask',
} as const satisfies Record<IpcEventChannel, string>;

export const ipcEventChannels = Object.keys(ipcEventMethods) as IpcEventChannel[];

type MethodArgs<K extends IpcChannel> = IpcRequest<K> extends void ? [] : [request: IpcRequest<K>];

/** What preload puts on `window.codetether`: one promise-returning method per channel, one subscribe per event. */
export type CodetetherApi = {
  readonly [K in IpcChannel as (typeof ipcMethods)[K]]: (...args: MethodArgs<K>) => Promise<IpcResponse<K>>;
} & {
  readonly [K in IpcEventChannel as (typeof ipcEventMethods)[K]]: (listener: (payload: IpcEvents[K]) => void) => () => void;
};

export type IpcHandler<K extends IpcChannel> = (request: IpcRequest<K>) => IpcResponse<K> | Promise<IpcResponse<K>>;

/** A full handler table: a channel without a handler does not type-check. */
export type IpcHandlers = { [K in IpcChannel]: IpcHandler<K> };
