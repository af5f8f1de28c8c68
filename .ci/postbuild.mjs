// The package is "type": "module"; the sandboxed preload must be CommonJS, so its output folder
// gets its own package.json that says so.
import { mkdirSync, writeFileSync } from 'node:fs';

mkdirSync('dist/electron-preload', { recursive: true });
writeFileSync('dist/electron-preload/package.json', JSON.stringify({ type: 'commonjs' }) + '\n');
