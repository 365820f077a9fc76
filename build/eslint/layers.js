// ESLint rule enforcing the dependency rule of DESIGN.md. It resolves each relative import
// to the top-level folder it lands in, so `../../main/x` is caught however deep the importer is.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function layerOf(absFile) {
  const rel = path.relative(root, absFile).split(path.sep);
  if (rel[0] === '..' || rel.length < 2) return undefined;
  if (rel[0] === 'main' && rel[1] === 'app') return 'main/app';
  return rel[0];
}

const rules = [
  { test: (from, spec) => spec === 'electron' || spec.startsWith('electron/'), allowed: (from) => from === 'main/app' || from === 'preload' || from === 'build', message: "Only main/app (and preload's contextBridge) may import 'electron'." },
  { test: (from, _spec, to) => from === 'renderer' && (to === 'main' || to === 'main/app'), message: 'renderer must not import main: talk to the host over HTTP/SSE, or to main/app through preload.' },
  { test: (from, _spec, to) => from === 'shared' && to !== undefined && to !== 'shared', message: 'shared imports nothing of ours: it holds the contracts everyone else depends on.' },
  { test: (from, _spec, to) => from === 'sync-server' && (to === 'main' || to === 'main/app'), message: 'sync-server must not import main: the relay ships on its own.' },
  { test: (from, _spec, to) => from === 'preload' && (to === 'main' || to === 'main/app' || to === 'renderer'), message: 'preload may import only shared: it is a thin typed bridge.' },
];

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer rule of DESIGN.md' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      const to = spec.startsWith('.') ? layerOf(path.resolve(path.dirname(file), spec)) : undefined;
      for (const rule of rules) {
        if (rule.test(from, spec, to) && !(rule.allowed && rule.allowed(from))) {
          context.report({ node, message: `Layer rule: ${rule.message} (${from} imports "${spec}")` });
        }
      }
    }
    return {
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
  },
};

export default { rules: { layers: layersRule } };
