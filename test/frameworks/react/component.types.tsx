// Type tests for `finframe/react` (checked by `tsc -p tsconfig.json`, never run): right usage
// compiles, each wrong usage must be an error.
import { BenjiConnect, FinapiWebForm, FlinksConnect, FlexpayStatus } from '../../../src/react/index.js';

export const right = (
  <>
    <FlinksConnect
      authorizeToken="t"
      session-url="/session"
      onProviderOutcome={(event) => {
        if (event.detail.outcome === 'connected') void event.detail.data.loginId.toUpperCase();
      }}
      onProviderError={(event) => void event.detail.code.toUpperCase()}
    />
    <FinapiWebForm token="t" onProviderReady={(event) => void event.detail.provider} />
    <BenjiConnect token="t" onProviderEvent={(event) => void event.detail.name} />
  </>
);

export const wrong = (
  <>
    {/* @ts-expect-error: the token is a string */}
    <FlinksConnect authorizeToken={42} />
    {/* @ts-expect-error: the outcome's detail is an object, not a number */}
    <FinapiWebForm onProviderOutcome={(event: CustomEvent<number>) => event.detail} />
    <FlexpayStatus
      onProviderOutcome={(event) => {
        // @ts-expect-error: a FlexPay outcome is never Flinks' `connected`
        if (event.detail.outcome === 'connected') return;
      }}
    />
    {/* @ts-expect-error: no such property */}
    <BenjiConnect tokn="t" />
  </>
);
