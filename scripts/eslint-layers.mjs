import { dirname, relative, resolve, sep } from 'node:path';

/**
 * `local/layers`: which layer of main/ may import which, by resolved path (after VS Code's
 * `local/code-import-patterns`). Runtime boundaries (*.std / *.node / *.main) are checked by no-restricted-imports
 * in eslint.config.js; this rule checks layers:
 *
 * - main/platform/** imports only main/platform/** (never a feature, main/shared or the composition root).
 * - main/shared/** imports only main/shared/** and main/platform/**.
 * - main/features/<f>/** imports another feature only through its contract (`*.contract.std.ts`) or a port it
 *   exports for other features (`*.port.node.ts` / `*.port.std.ts`), and never the composition root (main/*.ts).
 *
 * Type-only imports count too: a type from another layer is still a dependency on it.
 */
const PUBLIC_SURFACE = /\.(contract\.std|port\.node|port\.std)(\.ts)?$/;

function layerOf(path) {
  const parts = path.split('/');
  if (parts[0] !== 'main') return null;
  if (parts.length === 2) return { layer: 'root' };
  if (parts[1] === 'platform') return { layer: 'platform' };
  if (parts[1] === 'shared') return { layer: 'shared' };
  if (parts[1] === 'features') return { layer: 'feature', feature: parts[2] };
  return { layer: parts[1] };
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps main/ layered: platform ← shared ← features ← composition root.' },
    schema: [],
    messages: {
      platform: 'main/platform may import only main/platform ({{target}} is {{layer}}). Declare an interface here and let the caller pass it in.',
      shared: 'main/shared may import only main/shared and main/platform ({{target}}).',
      feature:
        'A feature reaches another feature only through its *.contract.std.ts or an exported *.port.*.ts interface ({{target}}).',
      root: 'Features may not import the composition root or the API table ({{target}}); take what you need as a parameter.',
    },
  },
  create(context) {
    const cwd = context.cwd ?? context.getCwd();
    const file = relative(cwd, context.filename ?? context.getFilename()).split(sep).join('/');
    const from = layerOf(file);
    if (!from || !['platform', 'shared', 'feature'].includes(from.layer)) return {};

    const check = (node) => {
      const source = node.source;
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = relative(cwd, resolve(dirname(resolve(cwd, file)), source.value)).split(sep).join('/');
      const to = layerOf(target);
      if (!to) return;
      const data = { target, layer: to.layer === 'feature' ? `feature ${to.feature}` : to.layer };
      if (from.layer === 'platform' && to.layer !== 'platform') context.report({ node: source, messageId: 'platform', data });
      else if (from.layer === 'shared' && !['shared', 'platform'].includes(to.layer)) context.report({ node: source, messageId: 'shared', data });
      else if (from.layer === 'feature') {
        if (to.layer === 'root') context.report({ node: source, messageId: 'root', data });
        else if (to.layer === 'feature' && to.feature !== from.feature && !PUBLIC_SURFACE.test(target)) {
          context.report({ node: source, messageId: 'feature', data });
        }
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { layers: rule } };
