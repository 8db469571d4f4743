import { describe, expect, it } from 'vitest';
import { LifecycleError } from '../src/lifecycle-error.js';
import { createFallbackLogger } from '../src/logger.js';

describe('createFallbackLogger', () => {
  it('writes one JSON line per record with level, ISO time, bindings and msg', () => {
    const lines: string[] = [];
    const log = createFallbackLogger({ module: 'lifecycle' }, (l) =>
      lines.push(l),
    ).child?.({ check: 'db' });
    log?.warn({ durationMs: 3 }, 'slow');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    const record = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(record).toMatchObject({
      level: 'warn',
      module: 'lifecycle',
      check: 'db',
      durationMs: 3,
      msg: 'slow',
    });
    expect(new Date(String(record['time'])).toISOString()).toBe(record['time']);
  });

  it('serialises err with type, message, stack, code and the cause chain', () => {
    const lines: string[] = [];
    const log = createFallbackLogger({}, (l) => lines.push(l));
    const err = new LifecycleError(
      'KENOS_ERR_LIFECYCLE_TIMEOUT',
      'hook "db" did not finish',
      {
        cause: new Error('socket hang up'),
      },
    );
    log.error({ err }, 'failed');
    const record = JSON.parse(lines[0] ?? '') as {
      err: {
        type: string;
        message: string;
        stack: string;
        code: string;
        cause: { message: string };
      };
    };
    expect(record.err.type).toBe('LifecycleError');
    expect(record.err.code).toBe('KENOS_ERR_LIFECYCLE_TIMEOUT');
    expect(record.err.message).toBe('hook "db" did not finish');
    expect(record.err.stack).toContain('logger.test.ts');
    expect(record.err.cause.message).toBe('socket hang up');
  });

  it('still writes a line when a field cannot be serialised', () => {
    const lines: string[] = [];
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    createFallbackLogger({}, (l) => lines.push(l)).info(
      { circular },
      'still logged',
    );
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'info',
      msg: 'still logged',
    });
  });
});
