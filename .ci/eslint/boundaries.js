// The import arrows of DESIGN.md as one small ESLint rule: a file inside a zone's `target` folder
// may not import (relatively) from its `from` folders, except from the `except` folders. It works
// on paths, not on resolution, so `./x.js` written for a `./x.ts` file needs no TypeScript
// resolver (eslint-plugin-import-x's resolver pulls platform binaries the package mirror lacks).
import { dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');

function inside(file, folder) {
  const rel = relative(resolve(ROOT, folder), file);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

const rule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Enforce the import arrows between collector/core, collector, electron and renderer.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          zones: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                target: { type: 'string' },
                from: { type: 'array', items: { type: 'string' } },
                except: { type: 'array', items: { type: 'string' } },
                message: { type: 'string' },
              },
              required: ['target', 'from', 'message'],
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const file = context.filename;
    const zones = (context.options[0]?.zones ?? []).filter((z) => inside(file, z.target));
    if (zones.length === 0) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const imported = resolve(dirname(file), source);
      for (const zone of zones) {
        if (!zone.from.some((f) => inside(imported, f))) continue;
        if ((zone.except ?? []).some((e) => inside(imported, e))) continue;
        context.report({ node, message: `"${source}" crosses a boundary: ${zone.message}` });
      }
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) =>
        node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export const boundaries = { rules: { imports: rule } };
