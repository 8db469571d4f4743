import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, flushLogs } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kenos-logger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) =>
  readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('flushLogs and the destination per environment', () => {
  it('batches production lines in memory until flushLogs writes them', async () => {
    const file = join(dir, 'production.log');
    const logger = createLogger({
      service: 's',
      version: '1',
      env: 'production',
      component: 'api',
      destination: file,
      flushIntervalMs: 60_000,
    });
    logger.info('first');
    logger.info('second');
    expect(lines(file)).toEqual([]);
    await flushLogs();
    expect(
      lines(file).map((l) => (JSON.parse(l) as { msg: string }).msg),
    ).toEqual(['first', 'second']);
  });

  it('writes each line at once in development and test', () => {
    const file = join(dir, 'development.log');
    const logger = createLogger({
      service: 's',
      version: '1',
      env: 'development',
      component: 'api',
      destination: file,
    });
    logger.info('immediately');
    expect(lines(file)).toHaveLength(1);
  });

  it('survives a Node stream destination that emits an error', async () => {
    const broken = createWriteStream(join(dir, 'missing-dir', 'x.log'));
    const logger = createLogger({
      service: 's',
      version: '1',
      env: 'test',
      component: 'api',
      destination: broken,
    });
    logger.info('into a stream that cannot open');
    await new Promise<void>((resolve) => broken.once('close', () => resolve()));
    expect(() => logger.info('after the failure')).not.toThrow();
    await flushLogs();
  });

  it('writes a full batch without waiting for a flush', () => {
    const file = join(dir, 'full-batch.log');
    const logger = createLogger({
      service: 's',
      version: '1',
      env: 'production',
      component: 'api',
      destination: file,
      bufferBytes: 1024,
      flushIntervalMs: 60_000,
    });
    for (let i = 0; i < 50; i++) logger.info({ i }, 'filling the batch');
    const written = lines(file).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(50);
  });

  it('keeps multi-byte characters and lines longer than the batch intact in a batched file', async () => {
    const file = join(dir, 'utf8-batch.log');
    const logger = createLogger({
      service: 's',
      version: '1',
      env: 'production',
      component: 'api',
      destination: file,
      bufferBytes: 512,
      flushIntervalMs: 60_000,
    });
    const texts = [
      'grüße',
      '日本語のログ',
      'emoji 🚀 and ✓',
      'x'.repeat(2000),
      'é'.repeat(700),
    ];
    for (let round = 0; round < 20; round++)
      for (const text of texts) logger.info({ round, text }, 'utf8');
    await flushLogs();
    const parsed = lines(file).map(
      (l) => JSON.parse(l) as { round: number; text: string },
    );
    expect(parsed).toHaveLength(100);
    expect(parsed.map((p) => p.text)).toEqual(
      Array.from({ length: 20 }, () => texts).flat(),
    );
    expect(parsed.map((p) => p.round)).toEqual(
      Array.from({ length: 100 }, (_, i) => Math.floor(i / texts.length)),
    );
  });
});
