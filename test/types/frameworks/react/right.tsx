// Right usage of finframe's React 19 JSX typings: must type-check with no error.
import type {} from 'finframe/jsx-react';
import type { ProviderErrorEvent, ProviderOutcomeEvent } from 'finframe';
import { useRef } from 'react';

export function Connect({ token }: { token: string }) {
  const ref = useRef<HTMLElementTagNameMap['flinks-connect']>(null);
  return (
    <>
      <flinks-connect
        ref={ref}
        authorizeToken={token}
        instance="toolbox"
        loadTimeout={20000}
        demo
        days-of-transactions="Days365"
        className="bank"
        onprovider-ready={(e) => console.log(e.detail.provider)}
        onprovider-event={(e) => console.log(e.detail.name)}
        onprovider-outcome={(e) => {
          const detail = e.detail;
          if (detail.provider === 'flinks' && detail.outcome === 'connected') console.log(detail.data.loginId);
        }}
        onprovider-error={(e: ProviderErrorEvent) => console.log(e.detail.code, e.detail.fatal)}
      />
      <flexiti-widget session-url="/api/flexiti/session" flow="apply" modal onprovider-outcome={(e: ProviderOutcomeEvent) => e.preventDefault()} />
      <benji-connect sessionUrl="/api/benji/session" environment="sandbox" name="benji" required />
      <finapi-web-form token={token} layoutConfig="md" colorMode="dark" no-margins />
      <flexpay-status reference="FP-1" src="/status/FP-1" poll-interval={5000} onprovider-event={(e) => e.detail.data} />
    </>
  );
}
