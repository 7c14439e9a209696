// ESLint (flat config). `npm run lint` also runs scripts/check-layers.mjs for import direction.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/*
 * Electron settings that must never be weakened. Written as syntax rules so
 * any object literal anywhere (a new window, a test) is caught.
 */
const insecureWebPreferences = [
  {
    selector:
      "Property[key.name=/^(nodeIntegration|nodeIntegrationInWorker|nodeIntegrationInSubFrames|allowRunningInsecureContent|experimentalFeatures|webviewTag)$/][value.value=true]",
    message: 'Electron security: this webPreference must stay off.',
  },
  {
    selector: 'Property[key.name=/^(contextIsolation|sandbox|webSecurity)$/][value.value=false]',
    message: 'Electron security: contextIsolation, sandbox and webSecurity stay on.',
  },
  {
    // Split so this file does not match its own rule.
    selector: `Literal[value=/'unsafe-${'eval'}'/]`,
    message: 'No unsafe-eval in any Content-Security-Policy.',
  },
];

export default defineConfig([
  globalIgnores([
    'out/**',
    'dist/**',
    'node_modules/**',
    'test-results/**',
    'playwright-report/**',
    'test/artifacts/**',
    'models/**',
    'training/**',
    '.cache/**',
  ]),
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-syntax': ['error', ...insecureWebPreferences],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,svelte}', 'src/main/bridge/browser-shim.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        extraFileExtensions: ['.svelte'],
        parser: tseslint.parser,
        svelteConfig,
      },
    },
  },
  {
    // page.evaluate callbacks run in the browser.
    files: ['test/e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
]);
