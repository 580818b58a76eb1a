export { App } from '../jsx-app.jsx';
