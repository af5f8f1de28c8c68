// The import arrows of DESIGN.md as one small ESLint rule, written as allow-lists: a file inside a
// zone's `target` folder may import (by path) only from the zone's `allow` folders, never from its
// `forbid` folders (holes in what `allow` lets through, e.g. testing helpers), and from its
// `typeOnly` folders only with `import type` (erased at run time). A file takes the zone with the
// most specific target (collector/core before collector); a file in no zone is not checked (e2e,
// .ci). Anything not listed is refused, so a new folder needs a decision before it is imported.
// The rule works on paths, not on resolution, so `./x.js` written for a `./x.ts` file needs no
// TypeScript resolver (eslint-plugin-import-x's resolver pulls platform binaries the package
// mirror lacks).
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');

function inside(file, folder) {
  const rel = relative(resolve(ROOT, folder), file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

const folders = { type: 'array', items: { type: 'string' } };

/** `import type {…}`, `import { type A, type B }` and `export type {…} from` vanish at run time. */
function typeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return (
    specifiers.length > 0 &&
    specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type')
  );
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
                allow: folders,
                forbid: folders,
                typeOnly: folders,
                message: { type: 'string' },
                forbidMessage: { type: 'string' },
              },
              required: ['target', 'allow', 'message'],
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
    const zone = (context.options[0]?.zones ?? [])
      .filter((z) => inside(file, z.target))
      .sort((a, b) => resolve(ROOT, b.target).length - resolve(ROOT, a.target).length)[0];
    if (!zone) return {};
    const allowed = [
      ...zone.allow.map((f) => `${f}/`),
      ...(zone.typeOnly ?? []).map((f) => `${f}/ (types)`),
    ].join(', ');
    const holes = (zone.forbid ?? []).map((f) => `${f}/`).join(', ');
    const rules = `${zone.target}/ may import only ${allowed}${holes ? `, not ${holes}` : ''}.`;
    const report = (node, source, why) =>
      context.report({ node, message: `"${source}" crosses a boundary: ${why} ${rules}` });
    const check = (node, source, declaration) => {
      // Bare specifiers are packages (checked by no-restricted-imports); paths are ours.
      if (typeof source !== 'string' || !(source.startsWith('.') || isAbsolute(source))) return;
      const imported = resolve(dirname(file), source);
      const within = (list) => (list ?? []).some((f) => inside(imported, f));
      if (within(zone.forbid)) {
        report(node, source, zone.forbidMessage ?? zone.message);
      } else if (within(zone.allow)) {
        return;
      } else if (within(zone.typeOnly)) {
        if (!declaration || !typeOnly(declaration))
          report(node, source, `${zone.message} Write \`import type\` here.`);
      } else {
        report(node, source, zone.message);
      }
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value, node);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) =>
        node.source.type === 'Literal' && check(node.source, node.source.value, undefined),
    };
  },
};

export const boundaries = { rules: { imports: rule } };
