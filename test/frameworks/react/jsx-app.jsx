// Plain JSX, no wrapper: what React 19's own custom-element support does with <flinks-connect>
// (properties for props the element has, `on<event-name>` props as listeners). Bundled with React
// 18 too, to show what that version does with the same JSX.
import 'finframe/flinks-connect/define.js';

export function App({ src, token, onReady, onOutcome }) {
  return (
    <main>
      <flinks-connect src={src} authorizeToken={token} onprovider-ready={onReady} onprovider-outcome={onOutcome}></flinks-connect>
    </main>
  );
}
