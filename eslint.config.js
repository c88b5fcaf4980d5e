// Flat ESLint config for LinkedOut.
// - extension/**: browser + WebExtension globals, ES modules (the content script's parts in extension/content/
//   are classic scripts but use no import/export, so "module" parsing accepts them too).
// - tests/**, crates/** and config files: Node.
// - tests/replica/page/**: scripts that run inside the replica's page (browser context).
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    ignores: [
      'dist/**',
      'target/**',
      '**/node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'demo-output/**',
      'bench-output/**',
      'fuzz/**',
      // wasm-bindgen output copied into the extension by the build
      'extension/pkg/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
    },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' }],
    },
  },
  {
    files: ['extension/**/*.js'],
    languageOptions: {
      globals: { ...globals.browser, ...globals.webextensions },
    },
  },
  {
    files: ['tests/**/*.js', 'crates/**/*.js', 'crates/**/*.mjs', '*.js', '*.mjs'],
    ignores: ['tests/replica/page/**'],
    languageOptions: {
      globals: { ...globals.node },
    },
  },
  {
    // Browser tests hand functions to page.evaluate() and worker.evaluate(): those bodies run in a page or in
    // the extension's service worker.
    files: ['tests/e2e/**/*.js', 'tests/support/**/*.js', 'tests/check-page/**/*.js'],
    languageOptions: {
      globals: { ...globals.node, ...globals.browser, ...globals.webextensions },
    },
  },
  {
    files: ['tests/replica/page/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser },
    },
  },
];
