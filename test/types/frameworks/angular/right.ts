// Right usage of finframe's elements in Angular: must type-check with no error. Angular does not
// type-check a custom element's bindings in templates (CUSTOM_ELEMENTS_SCHEMA lets any through),
// so the typing lives in code: HTMLElementTagNameMap (from `finframe` itself) types ViewChild,
// querySelector and the events' listeners.
import { Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, ViewChild, type AfterViewInit } from '@angular/core';
import type { FlinksConnectElement, ProviderOutcomeEvent } from 'finframe';

@Component({
  selector: 'app-connect',
  standalone: true,
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `<flinks-connect #flinks instance="toolbox" [authorizeToken]="token" (provider-outcome)="onOutcome($event)"></flinks-connect>`,
})
export class ConnectComponent implements AfterViewInit {
  token = 'token-from-your-server';
  @ViewChild('flinks') flinks!: ElementRef<FlinksConnectElement>;

  onOutcome(event: Event): void {
    const detail = (event as ProviderOutcomeEvent).detail;
    if (detail.provider === 'flinks' && detail.outcome === 'connected') console.log(detail.data.loginId);
  }

  ngAfterViewInit(): void {
    this.flinks.nativeElement.authorizeToken = this.token;
    const found: FlinksConnectElement | null = document.querySelector('flinks-connect');
    found?.addEventListener('provider-error', (e) => console.log(e.detail.code, e.detail.fatal));
    const status: 'idle' | 'loading' | 'ready' | 'complete' | 'error' = this.flinks.nativeElement.status;
    console.log(status);
  }
}
