// Wrong usage of finframe's elements in Angular code. Each line after an `expect TSxxxx` marker
// must fail tsc with that error code, and nothing else may fail (test/node/framework-types.test.mjs).
import { Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, ViewChild } from '@angular/core';
import type { FlinksConnectElement } from 'finframe';

@Component({ selector: 'app-wrong', standalone: true, schemas: [CUSTOM_ELEMENTS_SCHEMA], template: `<flinks-connect #flinks></flinks-connect>` })
export class WrongComponent {
  @ViewChild('flinks') flinks!: ElementRef<FlinksConnectElement>;

  wrong(): void {
    // expect TS2322: a token is a string
    this.flinks.nativeElement.authorizeToken = 42;
    // expect TS2769: the listener gets a ProviderOutcomeEvent, not a number
    this.flinks.nativeElement.addEventListener('provider-outcome', (e: number) => console.log(e));
    // expect TS2339: no such detail field on any outcome
    document.querySelector('flinks-connect')?.addEventListener('provider-outcome', (e) => console.log(e.detail.loginIdentifier));
    // expect TS2540: status is the element's own, read-only
    this.flinks.nativeElement.status = 'ready';
  }
}
