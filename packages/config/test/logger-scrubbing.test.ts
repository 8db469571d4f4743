import { createLogger, flushLogs } from '@kenos/logger';
import { describe, expect, it } from 'vitest';
import { defineConfigSchema, loadConfig } from '../src/index.js';
import { serviceDir } from './helpers.js';

describe('sensitive config values and the logger', () => {
  it('registers every sensitive value with the logger scrubber at load', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 'orders',
      version: '1.0.0',
      env: 'test',
      component: 'api',
      destination: { write: (line: string) => void lines.push(line) },
    });
    const schema = defineConfigSchema({
      db: {
        password: { format: 'secret', default: undefined, env: 'DB_PASSWORD' },
      },
      webhook: { format: Object, default: {}, sensitive: true, env: 'WEBHOOK' },
      pin: { format: 'string', default: '1234', sensitive: true },
      public: { format: 'string', default: 'visible-value' },
    });
    const config = await loadConfig(schema, {
      cwd: serviceDir(),
      env: {
        DB_PASSWORD: 'pw-scrub-me-1',
        WEBHOOK: '{"token":"nested-token-2"}',
      },
      argv: [],
    });
    logger.info(
      { dsn: `postgres://u:${config.db.password}@db` },
      `token ${String(config.webhook['token'])} visible-value`,
    );
    await flushLogs();
    const output = lines.join('');
    expect(output).toContain('visible-value');
    expect(output).not.toContain('pw-scrub-me-1');
    expect(output).not.toContain('nested-token-2');
    // too short for value scrubbing: still masked in every dump of the config
    expect(JSON.stringify(config)).not.toContain('1234');
  });
});
