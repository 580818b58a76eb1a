// Wrong usage of finframe's React 19 JSX typings. Each line after an `expect TSxxxx` marker must
// fail with that error code, and nothing else may fail (test/node/framework-types.test.mjs). One
// mistake per element: TypeScript reports one error per JSX element.
import type {} from 'finframe/jsx-react';

export function Wrong() {
  return (
    <>
      {/* expect TS2322: a token is a string */}
      <flinks-connect authorizeToken={42} />
      {/* expect TS2322: the listener gets a ProviderOutcomeEvent, not a number */}
      <flinks-connect onprovider-outcome={(e: number) => console.log(e)} />
      {/* expect TS2339: no such detail field on any outcome */}
      <flinks-connect onprovider-outcome={(e) => console.log(e.detail.loginIdentifier)} />
      {/* expect TS2322: not one of Flinks' transaction ranges */}
      <flinks-connect days-of-transactions="Days30" />
      {/* expect TS2322: status is the element's own, read-only */}
      <benji-connect status="ready" />
      {/* expect TS2322: flexpay-status has no authorizeToken */}
      <flexpay-status authorizeToken="x" />
      {/* expect TS2339: not a finframe tag (the typings add only theirs) */}
      <flinks-konnect />
    </>
  );
}
