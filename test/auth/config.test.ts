import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../main/base/config';
import { tempDir } from '../support/temp-dir';

describe('requireAuth config', () => {
  it('defaults to false', () => {
    expect(loadConfig({ env: {}, flags: { dataDir: tempDir() } }).requireAuth).toBe(false);
  });

  it('parses CODETETHER_REQUIRE_AUTH as true/false/1/0 in any case', () => {
    const dataDir = tempDir();
    const cases: [string, boolean][] = [['true', true], ['TRUE', true], ['1', true], ['false', false], ['0', false], [' False ', false]];
    for (const [raw, want] of cases) {
      expect(loadConfig({ env: { CODETETHER_REQUIRE_AUTH: raw }, flags: { dataDir } }).requireAuth, raw).toBe(want);
    }
  });

  it('names the env variable when the value is not a boolean', () => {
    let error: unknown;
    try {
      loadConfig({ env: { CODETETHER_REQUIRE_AUTH: 'yes please' }, flags: { dataDir: tempDir() } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('CODETETHER_REQUIRE_AUTH');
  });
});
