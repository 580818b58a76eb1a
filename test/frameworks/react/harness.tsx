// The browser half of every React test app: mounts `App` the way an app would, synchronously
// (flushSync) so a test can look at the DOM right after. Bundled once with React 19 and once with
// React 18 (scripts/wtr-react.mjs).
import { StrictMode, version, type ComponentType, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';

export interface AppProps {
  src?: string;
  token?: string;
  onReady?: (event: Event) => void;
  onOutcome?: (event: Event) => void;
  /** The Next.js client component's props (test/frameworks/nextjs/). */
  sessionUrl?: string;
  saveLogin?: (loginId: string) => Promise<void>;
}

export interface Mounted {
  rerender(props: AppProps): void;
  unmount(): void;
}

export interface Harness {
  /** The React version that really rendered. */
  version: string;
  mount(container: Element, props: AppProps, options?: { strict?: boolean }): Mounted;
  /** Hydrates server-rendered markup; `recoverable` hears what React reports through onRecoverableError. */
  hydrate(container: Element, props: AppProps, recoverable: (error: unknown) => void): Mounted;
}

export function harness<P extends AppProps>(App: ComponentType<P>): Harness {
  const wrap = (props: AppProps, strict: boolean): ReactNode => {
    const app = <App {...(props as P)} />;
    return strict ? <StrictMode>{app}</StrictMode> : app;
  };
  const control = (root: Root, strict: boolean): Mounted => ({
    rerender: (props) => flushSync(() => root.render(wrap(props, strict))),
    unmount: () => flushSync(() => root.unmount()),
  });
  return {
    version,
    mount(container, props, { strict = false } = {}) {
      const root = createRoot(container);
      flushSync(() => root.render(wrap(props, strict)));
      return control(root, strict);
    },
    hydrate(container, props, recoverable) {
      const root = hydrateRoot(container, wrap(props, false), { onRecoverableError: recoverable });
      return control(root, false);
    },
  };
}
