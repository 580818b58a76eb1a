import { Component, CUSTOM_ELEMENTS_SCHEMA, EventEmitter, Input, Output } from '@angular/core';
import type { ProviderOutcomeEvent } from 'finframe';

@Component({
  selector: 'app-flinks-bank-link',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <flinks-connect
      frame-title="Connect your bank"
      [src]="src"
      [authorizeToken]="token"
      (provider-outcome)="onOutcome($event)"
    ></flinks-connect>
  `,
})
export class FlinksBankLinkComponent {
  @Input() src?: string;
  @Input() token?: string;
  @Output() outcome = new EventEmitter<ProviderOutcomeEvent['detail']>();

  onOutcome(event: Event) {
    this.outcome.emit((event as ProviderOutcomeEvent).detail);
  }
}
