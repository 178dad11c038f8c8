// Lint: every regular expression in the code is checked for super-linear backtracking (issue #13). Customer text is
// read by these patterns, so a pattern that backtracks is a way to freeze the bot with one message. The product code
// is also linted with type information (typescript-eslint): a promise nobody awaits or catches is how a turn fails
// silently or a process dies of an unhandled rejection.
import tsParser from '@typescript-eslint/parser';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['node_modules/**', 'dist/**', 'test-artifacts/**', 'data/**'] },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { regexp },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential', ignoreSticky: false, ignorePartial: false }],
    },
  },
  {
    // Type-aware rules on the product code (tests are left out: the type-checked pass costs seconds per hundred files).
    files: ['src/**/*.ts', 'channels/**/*.ts', 'dialogs/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    // Small files with one job: no product source file over 300 lines (issue #15), counted as an editor shows them.
    files: ['src/**/*.ts', 'channels/**/*.ts', 'dialogs/**/*.ts', 'bin/**/*.mjs'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
];
