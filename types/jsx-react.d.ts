// Generated from custom-elements.json by `node scripts/framework-types.mjs` (`npm run docs`). Do not edit.
// React 19 JSX for finframe's tags: properties (React 19 sets them on the element), attributes,
// and `onprovider-outcome`-style listeners (React 19 adds `on` + event name as a listener).
// Include with `import type {} from 'finframe/jsx-react';` once in your app. React 18 sets
// attributes only and ignores these listeners: use finframe/react there.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { FinframeAttributes, FinframeElements, FinframeEvents, FinframeProperties, FinframeTag } from './elements.js';

type Listeners<T extends FinframeTag> = {
  [E in keyof FinframeEvents[T] & string as `on${E}`]?: (event: FinframeEvents[T][E]) => void;
};
type Own<T extends FinframeTag> = FinframeProperties[T] & FinframeAttributes[T] & Listeners<T>;
type Props<T extends FinframeTag> = Omit<DetailedHTMLProps<HTMLAttributes<FinframeElements[T]>, FinframeElements[T]>, keyof Own<T>> & Own<T>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'benji-connect': Props<'benji-connect'>;
      'finapi-web-form': Props<'finapi-web-form'>;
      'flexiti-widget': Props<'flexiti-widget'>;
      'flexpay-status': Props<'flexpay-status'>;
      'flinks-connect': Props<'flinks-connect'>;
    }
  }
}
