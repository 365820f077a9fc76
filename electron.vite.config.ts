import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy, loopbackOrigins } from './main/app/csp';

const root = import.meta.dirname;

/**
 * The built page is loaded from file://, where response headers (and so a CSP set through
 * session.webRequest) do not apply, so the policy also ships in the HTML. The host's port is
 * only known at run time, hence loopback with any port here; main/app adds a header with the
 * exact origin wherever headers do apply (the dev server).
 */
function cspMeta(dev: boolean): Plugin {
  return {
    name: 'codetether:csp-meta',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ connect: loopbackOrigins, dev }) },
        injectTo: 'head-prepend',
      },
    ],
  };
}

// Output folders are electron-vite's defaults: out/main, out/preload, out/renderer.
export default defineConfig(({ command }) => ({
  main: {
    // Dependencies (better-sqlite3's native addon above all) stay in node_modules: externalizeDeps is on by default.
    build: { lib: { entry: resolve(root, 'main/app/index.ts') } },
  },
  preload: {
    build: {
      lib: { entry: resolve(root, 'preload/index.ts') },
      // A sandboxed preload can only be a CommonJS script that requires 'electron' and nothing
      // from node_modules, so it is one self-contained CJS file.
      rolldownOptions: { output: { format: 'cjs' } },
      externalizeDeps: false,
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    // Minified: the host will also serve this bundle to browsers.
    build: { minify: true, rolldownOptions: { input: resolve(root, 'renderer/index.html') } },
    plugins: [react(), cspMeta(command === 'serve')],
  },
}));
