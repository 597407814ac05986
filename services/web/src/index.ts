export {
  createWebHandler,
  type OidcSettings,
  oidcSettingsFromEnv,
  WEB_DIST_DIR,
  type WebHandler,
  type WebOptions,
} from './server.js';
