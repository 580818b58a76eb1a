export { App } from '../component-app.js';
