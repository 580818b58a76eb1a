'use client';

import { FlinksConnect } from 'finframe/react';

// `saveLogin` may be a server action ('use server') passed down from a server component.
export default function ConnectBank({ sessionUrl, saveLogin }: { sessionUrl: string; saveLogin: (loginId: string) => Promise<void> }) {
  return (
    <FlinksConnect
      session-url={sessionUrl}
      onProviderOutcome={(event) => {
        if (event.detail.outcome === 'connected') void saveLogin(event.detail.data.loginId);
      }}
    />
  );
}
