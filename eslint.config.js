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

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.ci/out/**',
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
      'boundaries/imports': [
        'error',
        {
          zones: [
            {
              target: './collector/core',
              from: ['./collector', './electron', './renderer', './e2e'],
              except: ['./collector/core'],
              message: 'collector/core is the leaf: it imports nothing of ours.',
            },
            {
              target: './collector',
              from: ['./electron', './renderer', './e2e'],
              message: 'The collector does not depend on the desktop shell or the console.',
            },
            {
              target: './electron',
              from: [
                './renderer',
                './collector/agent',
                './collector/cli',
                './collector/outputs',
                './collector/probes',
              ],
              message: 'Electron starts the collector as a process; it shares only collector/core.',
            },
            {
              target: './renderer',
              from: [
                './collector/agent',
                './collector/cli',
                './collector/outputs',
                './collector/probes',
                './collector/bin',
              ],
              message: 'The renderer may use collector/core only.',
            },
            {
              target: './renderer',
              from: ['./electron'],
              except: ['./electron/common'],
              message: 'The renderer reaches the desktop only through the preload API types.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['collector/core/**/*.ts'],
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
