import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.js';

describe('configuration of the production defaults', () => {
  it('given nothing set, then introspection and the trusted proxy are off', () => {
    expect(configFromEnv({})).toMatchObject({ introspection: false, trustProxy: false, development: false });
  });

  it('given HUB_INTROSPECTION=true, then introspection is on, in production too', () => {
    expect(configFromEnv({ HUB_INTROSPECTION: 'true', NODE_ENV: 'production' })).toMatchObject({
      introspection: true,
      development: false,
    });
  });

  it('given NODE_ENV=development, then introspection is on for GraphiQL', () => {
    expect(configFromEnv({ NODE_ENV: 'development' })).toMatchObject({ introspection: true, development: true });
  });

  it('given HUB_TRUST_PROXY=true, then the trusted proxy is on; any other value leaves it off', () => {
    expect(configFromEnv({ HUB_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(configFromEnv({ HUB_TRUST_PROXY: '1' }).trustProxy).toBe(false);
  });
});
