// The Angular app of the server-rendering tests (angular-ssr.test.ts): the documented component
// inside a root component, bootstrapped with `bootstrapApplication` on both sides, as an Angular
// SSR app is. scripts/wtr-angular.mjs renders it in Node with @angular/platform-server
// (ssr-server.ts) and bundles it for the browser, where the test hydrates it (`hydrate`).
import '@angular/compiler';
import {
  Component,
  InjectionToken,
  inject,
  provideZonelessChangeDetection,
  type ApplicationConfig,
  type ApplicationRef,
} from '@angular/core';
import { bootstrapApplication, provideClientHydration, type BootstrapContext } from '@angular/platform-browser';
import { FlinksBankLinkComponent } from './flinks-bank-link.component.js';

export interface Props {
  src?: string;
  token?: string;
  onOutcome?: (detail: unknown) => void;
}

/** The root component's inputs: what an app reads from its server and its services. */
export const PROPS = new InjectionToken<Props>('finframe test props');

@Component({
  selector: 'app-root',
  imports: [FlinksBankLinkComponent],
  template: `<app-flinks-bank-link [src]="props.src" [token]="props.token" (outcome)="relay($event)" />`,
})
export class AppRoot {
  props = inject(PROPS);

  relay(detail: unknown) {
    this.props.onOutcome?.(detail);
  }
}

/** The configuration both sides share: zoneless, with hydration (or without, to see a test fail). */
export function config(props: Props, { hydration = true } = {}): ApplicationConfig {
  return {
    providers: [
      provideZonelessChangeDetection(),
      ...(hydration ? [provideClientHydration()] : []),
      { provide: PROPS, useValue: props },
    ],
  };
}

/** The browser side: hydrates the server's `<app-root>` in this document. */
export function hydrate(props: Props, options?: { hydration?: boolean }): Promise<ApplicationRef> {
  return bootstrapApplication(AppRoot, config(props, options));
}

export type { BootstrapContext };
export { VERSION } from '@angular/core';
