// The app of the `finframe/react` tests, bundled with React 19 and with React 18.
// `finframe/react` as source: the type check runs before the build (JSX apps import 'finframe/…').
import { FlinksConnect } from '../../../src/react/index.js';
import type { AppProps } from './harness.js';

export function App({ src, token, onReady, onOutcome }: AppProps) {
  return (
    <main>
      <FlinksConnect
        src={src}
        authorizeToken={token}
        onProviderReady={onReady}
        onProviderOutcome={(event) => {
          // Typed: Flinks' outcomes only, narrowed on `outcome`.
          if (event.detail.outcome === 'connected') void event.detail.data.loginId;
          onOutcome?.(event);
        }}
      />
    </main>
  );
}
