// Lint for defects, not style: Prettier formats, and eslint-config-prettier switches off the rules it owns.
// Not type-aware: typed linting is much slower here and found nothing but tap's unawaited t.test calls.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const unusedVars = { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' };

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', '.tap/', 'data/', 'coverage/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', unusedVars],
      // A let read by closures before its one assignment (a service built in steps) stays a let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], rules: { 'no-unused-vars': ['error', unusedVars] } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: globals.node } },
  { files: ['*.js'], languageOptions: { globals: globals.node } },
  // The widget ships as written to any browser: ES5 syntax makes anything newer a parse error here.
  { files: ['src/widget/*.js'], languageOptions: { sourceType: 'script', ecmaVersion: 5, globals: globals.browser } },
  // Ops pages run in current browsers only.
  { files: ['src/opsPage/*.js'], languageOptions: { sourceType: 'script', globals: globals.browser } },
  prettier,
  {
    // After prettier's config, which turns max-len off: Prettier does not wrap comments or strings.
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },
);
