import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tmp/**', 'custom-elements.json', 'bench/.tmp*/**', 'bench/.exp/**', 'integrations/shopify/extensions/finframe/assets/**', 'integrations/magento/view/frontend/web/js/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Provider data reaches the DOM as text only.
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Provider data must only reach the DOM as text.' },
        { property: 'outerHTML', message: 'Provider data must only reach the DOM as text.' },
        { property: 'insertAdjacentHTML', message: 'Provider data must only reach the DOM as text.' },
      ],
      'no-restricted-imports': ['error', { paths: [{ name: 'zod', message: "Use 'zod/mini': the root pulls ~90 kB of locales." }] }],
    },
  },
  {
    // finframe/server runs in Node and edge runtimes: no DOM globals (the Fetch API ones are fine).
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'customElements', 'HTMLElement'].map((name) => ({
          name,
          message: 'finframe/server must run without a DOM (Node, edge runtimes).',
        })),
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-properties': 'off',
      // chai: expect(x).to.be.true and friends
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
