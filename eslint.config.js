// Lint rules, including the import arrows of DESIGN.md: core is the leaf; collector, electron and
// renderer depend on core; nothing depends on renderer; the renderer never reaches Node or Electron.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import { boundaries } from './.ci/eslint/boundaries.js';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'net',
  'crypto',
  'url',
];

// The import arrows as allow-lists, one zone per folder (the most specific folder wins). Test files
// and the testing/ folders may also use their own zone's testing helpers; shipped code may not.
// electron/main hosts exactly the collector's Node services named here: a new one is added by name.
const TEST_FILES = ['**/*.test.{ts,tsx}', '**/testing/**/*.{ts,tsx}'];

// Each view is a folder of its own (renderer/src/views/<view>); the shell's registry draws them.
const VIEWS = ['engines', 'fleet', 'host', 'latency', 'profiles'];

function zones({ tests }) {
  const helpers = (folder) => (tests ? [] : [folder]);
  const forbidMessage = 'Testing helpers are for *.test.ts files and other testing/ helpers only.';
  const viewZones = VIEWS.map((view) => ({
    target: `renderer/src/views/${view}`,
    allow: ['renderer', 'collector/core'],
    forbid: [
      ...VIEWS.filter((v) => v !== view).map((v) => `renderer/src/views/${v}`),
      ...helpers('renderer/src/testing'),
    ],
    forbidMessage:
      'No view imports another view (or, outside tests, the testing helpers): shared code lives in lib/, sources/, store/ or charts/, and the shell registry (shell/views) composes views.',
    typeOnly: ['electron/common'],
    message:
      'The renderer runs in a browser: it reaches the collector over the wire and the desktop through the preload API.',
  }));
  return [
    ...viewZones,
    {
      target: 'collector/core',
      allow: ['collector/core'],
      message: 'collector/core is the leaf: it runs in every process and imports nothing of ours.',
    },
    {
      target: 'collector',
      allow: ['collector'],
      forbid: helpers('collector/testing'),
      forbidMessage,
      message: 'The collector does not depend on the desktop shell or the console.',
    },
    {
      target: 'electron/main',
      allow: [
        'electron/main',
        'electron/common',
        'collector/core',
        'collector/hostServices',
        ...(tests ? ['electron/testing'] : []),
      ],
      message:
        'Electron main starts the collector as a process; it shares collector/core and hosts only the listed collector services.',
    },
    {
      target: 'electron/preload',
      allow: ['electron/preload', ...(tests ? ['electron/common'] : [])],
      typeOnly: tests ? [] : ['electron/common'],
      message: 'A sandboxed preload can require only electron: it shares types, not code.',
    },
    {
      target: 'electron/common',
      allow: ['electron/common'],
      typeOnly: ['collector/core'],
      message: 'electron/common is the IPC contract both sides of the bridge compile against.',
    },
    {
      target: 'electron',
      allow: ['electron', 'collector/core'],
      forbid: helpers('electron/testing'),
      forbidMessage,
      message: 'The launcher only starts Electron.',
    },
    {
      target: 'renderer',
      allow: ['renderer', 'collector/core'],
      forbid: helpers('renderer/src/testing'),
      forbidMessage,
      typeOnly: ['electron/common'],
      message:
        'The renderer runs in a browser: it reaches the collector over the wire and the desktop through the preload API.',
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.ci/out/**',
      // Written by .ci/generateValidators.mjs (TypeBox Code()); .ci/generateValidators.test.ts keeps them current.
      'collector/core/protocol/compiled/{inventory,metrics,events}.ts',
      'collector/core/connections/compiled/connectionInput.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { boundaries },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-warning-comments': ['error', { terms: ['todo', 'fixme', 'xxx'], location: 'start' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
      'boundaries/imports': ['error', { zones: zones({ tests: false }) }],
    },
  },
  {
    files: ['collector/core/**/*.ts'],
    // Tests run under Node and read their real fixtures from disk (node:fs); the code they test
    // may not.
    ignores: ['collector/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['ws', 'commander', 'electron', 'react', '@nats-io/transport-node'].map(
            (name) => ({
              name,
              message: 'collector/core runs everywhere: no runtime-specific libraries.',
            }),
          ),
          patterns: [
            { group: nodeBuiltins, message: 'collector/core runs everywhere: no Node APIs.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Use the platform port, not Electron.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a browser: no Node APIs.' },
          ],
        },
      ],
    },
  },
  {
    files: TEST_FILES,
    rules: { 'boundaries/imports': ['error', { zones: zones({ tests: true }) }] },
  },
  {
    // Config files of the tools themselves must default-export.
    files: [
      '*.config.{ts,js,mjs}',
      '**/vite.config.ts',
      '**/playwright.config.ts',
      'eslint.config.js',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
