import { describe, expect, it } from 'vitest';
import { runFixture } from './child.js';

describe('bounded buffer', () => {
  it('retains no backlog in memory after a burst, however slow the reader', async () => {
    const r = await runFixture(
      'bounded.mjs',
      ['60000'],
      { NODE_OPTIONS: '--expose-gc' },
      500,
    );
    expect(r.code).toBe(0);
    const { retainedBytes, nonBlocking } = JSON.parse(
      r.stderr.trim().split('\n').pop() as string,
    ) as {
      retainedBytes: number;
      nonBlocking: boolean;
    };
    // A full pipe blocks the writer in the kernel instead of sleeping 100 ms per retry.
    expect(nonBlocking).toBe(false);
    // 60,000 lines are ~9 MB of JSON; pino's default asynchronous destination retains all of it here.
    expect(retainedBytes).toBeLessThan(2 * 1024 * 1024);
    expect(r.lines.length).toBe(60_000);
  });
});

describe('never crashing the host', () => {
  it('reports a failing serializer, a failing getter and a broken destination once each, and goes on logging', async () => {
    const r = await runFixture('faults.mjs');
    expect(r.code).toBe(0);
    const reports = r.stderr.trim().split('\n');
    expect(
      reports.filter((l) => l.includes('serializer exploded')),
    ).toHaveLength(1);
    expect(reports.filter((l) => l.includes('getter exploded'))).toHaveLength(
      1,
    );
    expect(reports.filter((l) => l.includes('EBADF'))).toHaveLength(1);
    expect(
      reports.filter((l) => l.includes('dropped lines are counted')),
    ).toHaveLength(1);
    for (const l of reports) expect(l).toContain('[@kenos/logger]');
    const records = r.lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(records.map((x) => x['msg'])).toEqual([
      ...Array.from({ length: 3 }, () => [
        'with a failing serializer',
        'with a failing getter',
      ]).flat(),
      'still logging',
      'dropped lines counted',
    ]);
    expect(records.at(-1)!['dropped']).toBeGreaterThan(0);
    expect(records[0]).toMatchObject({
      n: 0,
      user: '[unserializable: Error: serializer exploded]',
    });
    expect(records[1]).toMatchObject({
      n: 0,
      odd: { boom: '[unserializable: Error: getter exploded]' },
    });
  });
});

describe('LOG_FORMAT=pretty', () => {
  it('writes human-readable lines through pino-pretty, still redacted and scrubbed', async () => {
    const r = await runFixture('pretty.mjs', [], {
      LOG_FORMAT: 'pretty',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    });
    expect(r.code).toBe(0);
    const out = r.lines.join('\n');
    expect(out).toMatch(/INFO.*hello \[REDACTED\]/);
    expect(out).toContain('password: "[REDACTED]"');
    expect(out).not.toContain('pretty-secret-value');
    expect(out).not.toContain('hunter2');
    expect(() => JSON.parse(r.lines[0] as string)).toThrow();
  });

  it('fails with KENOS_ERR_LOGGER_PRETTY_MISSING and the fix when pino-pretty is not installed', async () => {
    const r = await runFixture('pretty.mjs', [], {
      LOG_FORMAT: 'pretty',
      HIDE_PINO_PRETTY: '1',
    });
    expect(r.code).toBe(3);
    const error = JSON.parse(r.lines[0] as string) as {
      code: string;
      message: string;
    };
    expect(error.code).toBe('KENOS_ERR_LOGGER_PRETTY_MISSING');
    expect(error.message).toContain('npm install --save-dev pino-pretty');
    expect(error.message).toContain('LOG_FORMAT=json');
  });
});
