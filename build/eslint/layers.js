// ESLint rule enforcing the dependency rule of DESIGN.md: every source file belongs to a room,
// and each room names the rooms it may import (an allowlist, as VS Code's import-pattern rule
// does). It resolves each relative import to the room it lands in, so `../../main/x` is caught
// however deep the importer is. A file under main/ in no room is itself an error, so a new
// folder cannot slip in without a place in the order.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

const base = ['main/base', 'shared'];
const core = ['main/tasks', 'main/store', 'main/http', 'main/auth', ...base];

/**
 * Room -> rooms it may import, listed from the bottom of the house up. A room may always import
 * itself. The order is the README's architecture section; the test in test/lint checks that
 * this table has no cycle, so no two rooms can ever import each other, however indirectly.
 */
export const rooms = {
  shared: [],
  'main/base': ['shared'],
  'main/http': base,
  'main/store': base,
  'main/auth': ['main/http', 'main/store', ...base],
  'main/tasks': ['main/store', ...base],
  'main/workers/pty-host': base,
  'main/workers/raw-output': base,
  'main/workers/wire': ['main/tasks', ...base],
  'main/workers/workspace': ['main/tasks', 'main/store', ...base],
  'main/workers/adapters': ['main/workers/workspace', 'main/tasks', 'main/store', ...base],
  'main/workers/agents': ['main/workers/adapters', 'main/workers/workspace', 'main/workers/pty-host', 'main/workers/raw-output', 'main/tasks', 'main/store', ...base],
  'main/workers/dispatch': ['main/workers/wire', 'main/workers/workspace', ...core],
  'main/workers/remote': ['main/workers/wire', 'main/workers/agents', 'main/workers/adapters', 'main/workers/workspace', 'main/workers/pty-host', 'main/workers/raw-output', ...core],
  'main/push': core,
  'main/sync': core,
  'main/rlm': ['main/workers/workspace', ...core],
  'main/notify': core,
  'main/a2a': ['main/push', ...core],
  'main/mcp': ['main/workers/workspace', ...core],
  'main/monitor': ['main/sync', 'main/push', 'main/workers/raw-output', 'main/workers/workspace', ...core],
  'main/ralph': ['main/workers/workspace', ...core],
  'main/identity': core,
  'main/host': ['main/a2a', 'main/mcp', 'main/monitor', 'main/ralph', 'main/identity', 'main/rlm', 'main/notify', 'main/sync', 'main/push', 'main/workers/dispatch', 'main/workers/agents', 'main/workers/adapters', 'main/workers/workspace', 'main/workers/pty-host', 'main/workers/raw-output', 'main/workers/wire', ...core],
  'main/app': ['main/host', 'main/monitor', ...core],
  'main/cli': ['main/app', 'main/host', 'main/a2a', 'main/mcp', 'main/monitor', 'main/ralph', 'main/identity', 'main/rlm', 'main/notify', 'main/sync', 'main/push', 'main/workers/remote', 'main/workers/dispatch', 'main/workers/agents', 'main/workers/adapters', 'main/workers/workspace', 'main/workers/pty-host', 'main/workers/raw-output', 'main/workers/wire', ...core],
  preload: ['shared'],
  renderer: ['shared'],
  'sync-server': ['shared'],
};

const roomNames = Object.keys(rooms).sort((a, b) => b.length - a.length);

/** The room a file belongs to; undefined outside the rooms' folders (tests, build, config files). */
export function roomOf(absFile) {
  const rel = path.relative(root, absFile).split(path.sep).join('/');
  if (rel.startsWith('..')) return undefined;
  return roomNames.find((room) => rel === room || rel.startsWith(`${room}/`));
}

function inMain(absFile) {
  const rel = path.relative(root, absFile).split(path.sep);
  return rel[0] === 'main' && rel.length > 1;
}

function topFolder(absFile) {
  return path.relative(root, absFile).split(path.sep)[0];
}

function isElectron(spec) {
  return spec === 'electron' || spec.startsWith('electron/');
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer rule of DESIGN.md: each room imports only the rooms its allowlist names' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = roomOf(file);
    if (!from && !inMain(file) && topFolder(file) === 'build') return {};
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (isElectron(spec) && from !== 'main/app' && from !== 'preload' && topFolder(file) !== 'build') {
        context.report({ node, message: `Layer rule: only main/app (and preload's contextBridge) may import 'electron'. (${from ?? topFolder(file)} imports "${spec}")` });
        return;
      }
      if (!spec.startsWith('.') || !from) return;
      const target = path.resolve(path.dirname(file), spec);
      const to = roomOf(target);
      if (to === from) return;
      if (to === undefined) {
        if (inMain(target)) {
          context.report({ node, message: `Layer rule: "${spec}" lands in no room; add its folder to build/eslint/layers.js. (${from})` });
        }
        return;
      }
      if (!rooms[from].includes(to)) {
        context.report({ node, message: `Layer rule: ${from} may not import ${to} (it may import: ${rooms[from].join(', ') || 'nothing of ours'}). (${from} imports "${spec}")` });
      }
    }
    const visitors = {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node.arguments[0], node.arguments[0].value);
        }
      },
    };
    if (!from && inMain(file)) {
      visitors.Program = (node) =>
        context.report({ node, message: `Layer rule: ${path.relative(root, file)} is in no room; add its folder, with what it may import, to build/eslint/layers.js.` });
    }
    return visitors;
  },
};

export default { rules: { layers: layersRule } };
