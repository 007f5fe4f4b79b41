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
      // prettier wraps code at 140 columns (.prettierrc.json) but never a string or a comment: comments are wrapped
      // by hand, at the same width; a long message stays one string, so it can be found with grep
      'max-len': [
        'error',
        { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true, ignorePattern: '^\\s*// eslint-disable' },
      ],
    },
  },
  {
    // tests may be looser, each for a reason; src, bench and examples stay at strictTypeChecked
    files: ['test/**'],
    rules: {
      // a test asserts presence by crashing: `x!.y` failing is the test failing, which is what it should do
      '@typescript-eslint/no-non-null-assertion': 'off',
      // tests read JSON and wire messages they just parsed and then check them with expect(); typing each shape adds nothing
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // test callbacks and fakes are async to match the interface they stand in for, even when they await nothing
      '@typescript-eslint/require-await': 'off',
      // a fake's _-named parameters give it the signature it stands in for; `{ x: _, ...rest }` leaves a key out
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
)
