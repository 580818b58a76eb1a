// The Next.js client component of docs/frameworks.md (and the README), as it is: React 19 renders it on the
// server (react-dom/server) and hydrates it in the browser (hydrateRoot), as Next.js does.
export { default as App } from '../../nextjs/connect-bank.js';
