// The Angular app the browser tests drive, bundled by scripts/wtr-angular.mjs (GET /__angular/app.js):
// the documented component inside a small host component, compiled just in time (the compiler is
// imported first, as an app without ahead-of-time compilation does) and run zoneless.
import '@angular/compiler';
import {
  Component,
  createComponent,
  provideZonelessChangeDetection,
  signal,
  type ApplicationRef,
  type ComponentRef,
} from '@angular/core';
import { createApplication } from '@angular/platform-browser';
import { FlinksBankLinkComponent } from './flinks-bank-link.component.js';
import type { Mounted, Props } from '../vue/app-suite.js';

// The same props and handle as the Vue and Svelte apps (`update` waits until Angular rendered).
export type { Mounted, Props };

/** What an app's parent component does: binds the inputs and listens to the output. */
@Component({
  selector: 'test-host',
  imports: [FlinksBankLinkComponent],
  template: `<app-flinks-bank-link [src]="src()" [token]="token()" (outcome)="relay($event)" />`,
})
class HostComponent {
  src = signal<string | undefined>(undefined);
  token = signal<string | undefined>(undefined);
  onOutcome: Props['onOutcome'];

  relay(detail: unknown) {
    this.onOutcome?.(detail);
  }
}

function set(host: HostComponent, props: Partial<Props>) {
  if ('src' in props) host.src.set(props.src);
  if ('token' in props) host.token.set(props.token);
  if ('onOutcome' in props) host.onOutcome = props.onOutcome;
}

/** An application (an injector, zoneless change detection): what `bootstrapApplication` starts with. */
export function start(): Promise<ApplicationRef> {
  return createApplication({ providers: [provideZonelessChangeDetection()] });
}

/** Renders the host component into `target`, synchronously, in application `app`. */
export function mountIn(app: ApplicationRef, target: Element, props: Props): Mounted {
  const element = document.createElement('test-host');
  target.append(element);
  const ref: ComponentRef<HostComponent> = createComponent(HostComponent, { environmentInjector: app.injector, hostElement: element });
  set(ref.instance, props);
  app.attachView(ref.hostView);
  ref.changeDetectorRef.detectChanges();
  return {
    async update(next) {
      set(ref.instance, next);
      await app.whenStable();
    },
    unmount() {
      ref.destroy();
    },
  };
}

export { VERSION } from '@angular/core';
