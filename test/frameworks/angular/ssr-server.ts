// The server half of the Angular SSR tests: ssr-app.ts rendered to HTML with
// @angular/platform-server's `renderApplication`, in Node (scripts/wtr-angular.mjs bundles this
// file and runs `render` in a child process).
import '@angular/compiler';
import { mergeApplicationConfig } from '@angular/core';
import { bootstrapApplication, type BootstrapContext } from '@angular/platform-browser';
import { provideServerRendering, renderApplication } from '@angular/platform-server';
import { AppRoot, config, type Props } from './ssr-app.js';

const DOCUMENT = '<!doctype html><html><head><title>finframe Angular SSR</title></head><body><app-root></app-root></body></html>';

export function render(props: Props): Promise<string> {
  const serverConfig = mergeApplicationConfig(config(props), { providers: [provideServerRendering()] });
  const bootstrap = (context: BootstrapContext) => bootstrapApplication(AppRoot, serverConfig, context);
  return renderApplication(bootstrap, { document: DOCUMENT, url: 'http://localhost/', allowedHosts: ['localhost'] });
}
