// @ts-check
// The lint gate (`npm run lint`, part of `npm test`): typescript-eslint's strictTypeChecked over src, bench,
// examples and test, with the few adjustments below, each for a reason.
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { project: ['./tsconfig.json', './tsconfig.test.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      // numbers and booleans read naturally in messages ("got 3", "ok: true"); objects and unknowns still may not
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
)
