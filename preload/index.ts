import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannels, ipcEventChannels, ipcEventMethods, ipcMethods, type CodetetherApi } from '../shared/ipc-contract';

// The page gets one promise-returning method per contract channel and nothing else:
// no ipcRenderer, no channel names, no way to send on a channel outside the contract.
const api = Object.fromEntries([
  ...ipcChannels.map((channel) => [ipcMethods[channel], (...args: unknown[]) => ipcRenderer.invoke(channel, ...args)]),
  // The listener gets the payload only: the IPC event object would hand the page a sender.
  ...ipcEventChannels.map((channel) => [
    ipcEventMethods[channel],
    (listener: (payload: unknown) => void) => {
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => ipcRenderer.removeListener(channel, forward);
    },
  ]),
]) as CodetetherApi;

contextBridge.exposeInMainWorld('codetether', api);
