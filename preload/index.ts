import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannels, ipcMethods, type CodetetherApi } from '../shared/ipc-contract';

// The page gets one promise-returning method per contract channel and nothing else:
// no ipcRenderer, no channel names, no way to send on a channel outside the contract.
const api = Object.fromEntries(
  ipcChannels.map((channel) => [ipcMethods[channel], (...args: unknown[]) => ipcRenderer.invoke(channel, ...args)]),
) as CodetetherApi;

contextBridge.exposeInMainWorld('codetether', api);
