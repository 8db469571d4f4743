import { describe, expect, it } from 'vitest';
import {
  getLogLevel,
  getLogger,
  isLevelName,
  LOG_LEVELS,
  LoggerError,
  runWithLogContext,
  setLogLevel,
} from '../src/index.js';
import { captureLogger } from './sink.js';

describe('createLogger', () => {
  it('writes one JSON object per line with the standard fields', () => {
    const { logger, raw, records } = captureLogger();
    logger.info({ order_id: 'o-1' }, 'order placed');
    expect(raw).toHaveLength(1);
    expect(raw[0]?.endsWith('}\n')).toBe(true);
    expect(raw[0]?.indexOf('\n')).toBe(raw[0]!.length - 1);
    const line = records[0]!;
    expect(line).toMatchObject({
      level: 'info',
      msg: 'order placed',
      service: 'orders',
      version: '2.3.4',
      env: 'test',
      component: 'api',
      order_id: 'o-1',
    });
    expect(line['time']).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    );
    expect(
      Math.abs(Date.parse(line['time'] as string) - Date.now()),
    ).toBeLessThan(60_000);
    expect(line).not.toHaveProperty('pid');
    expect(line).not.toHaveProperty('hostname');
  });

  it('writes the level as its label for every level', () => {
    const { logger, records } = captureLogger({ level: 'trace' });
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect(records.map((r) => r['level'])).toEqual([
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
    ]);
  });

  it('writes an error under err with type, message, stack and the whole cause chain', () => {
    const { logger, records } = captureLogger();
    const root = new RangeError('disk full');
    const middle = new Error('write failed', { cause: root });
    class PaymentError extends Error {
      code = 'PAY_DECLINED';
    }
    logger.error(
      new PaymentError('payment failed', { cause: middle }),
      'could not pay',
    );
    const err = records[0]!['err'];
    expect(records[0]!['msg']).toBe('could not pay');
    expect(err).toMatchObject({
      type: 'PaymentError',
      message: 'payment failed',
      code: 'PAY_DECLINED',
    });
    expect(err.stack).toContain('Error: payment failed');
    expect(err.cause).toMatchObject({ type: 'Error', message: 'write failed' });
    expect(err.cause.stack).toContain('Error: write failed');
    expect(err.cause.cause).toMatchObject({
      type: 'RangeError',
      message: 'disk full',
    });
    expect(err.cause.cause.stack).toContain('RangeError: disk full');
  });

  it('writes every member of an AggregateError', () => {
    const { logger, records } = captureLogger();
    logger.error({
      err: new AggregateError(
        [new Error('a'), new TypeError('b')],
        'all failed',
      ),
    });
    const err = records[0]!['err'];
    expect(records[0]!['msg']).toBe('all failed');
    expect(err.type).toBe('AggregateError');
    expect(
      err.aggregateErrors.map((e: { type: string; message: string }) => [
        e.type,
        e.message,
      ]),
    ).toEqual([
      ['Error', 'a'],
      ['TypeError', 'b'],
    ]);
  });

  it('makes the created logger the root logger returned by getLogger', () => {
    const { logger, records } = captureLogger();
    expect(getLogger()).toBe(logger);
    getLogger().info('through getLogger');
    expect(records[0]!['msg']).toBe('through getLogger');
  });

  it('changes the level at runtime for the root logger and its children', () => {
    const { logger, records } = captureLogger({ level: 'info' });
    const child = logger.child({ module: 'billing' });
    child.debug('hidden');
    expect(getLogLevel()).toBe('info');
    setLogLevel('debug');
    expect(getLogLevel()).toBe('debug');
    child.debug('shown');
    logger.debug('shown too');
    setLogLevel('error');
    child.warn('hidden again');
    expect(records.map((r) => r['msg'])).toEqual(['shown', 'shown too']);
    expect(records[0]!['module']).toBe('billing');
  });

  it('applies a level change to a request scope that is already running', async () => {
    const { records } = captureLogger({ level: 'info' });
    let resume: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const request = runWithLogContext({ request_id: 'slow' }, async () => {
      getLogger().debug('before the change');
      await gate;
      getLogger().debug('after the change');
    });
    setLogLevel('debug');
    resume();
    await request;
    expect(records.map((r) => [r['msg'], r['request_id']])).toEqual([
      ['after the change', 'slow'],
    ]);
  });

  it('recognises exactly the level names', () => {
    expect(LOG_LEVELS).toEqual([
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
      'silent',
    ]);
    for (const level of LOG_LEVELS) expect(isLevelName(level)).toBe(true);
    for (const other of ['INFO', 'verbose', '', 30, null, undefined])
      expect(isLevelName(other)).toBe(false);
  });

  it('refuses an unknown level with a typed error', () => {
    captureLogger();
    expect(() => setLogLevel('verbose' as never)).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_LOGGER_OPTION_INVALID' }),
    );
  });

  it('lists every invalid option at once', () => {
    let error: unknown;
    try {
      captureLogger({ service: '', level: 'loud' as never, bufferBytes: -1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoggerError);
    const message = (error as LoggerError).message;
    expect((error as LoggerError).code).toBe('KENOS_ERR_LOGGER_OPTION_INVALID');
    expect(message).toContain('service');
    expect(message).toContain('loud');
    expect(message).toContain('bufferBytes');
  });

  it('takes the level and format from LOG_LEVEL and LOG_FORMAT when not given', () => {
    const saved = {
      level: process.env['LOG_LEVEL'],
      format: process.env['LOG_FORMAT'],
    };
    process.env['LOG_LEVEL'] = 'warn';
    process.env['LOG_FORMAT'] = 'json';
    try {
      const { logger, records } = captureLogger({
        level: undefined,
        format: undefined,
      });
      logger.info('below warn');
      logger.warn('at warn');
      expect(records.map((r) => r['msg'])).toEqual(['at warn']);
    } finally {
      for (const [key, value] of [
        ['LOG_LEVEL', saved.level],
        ['LOG_FORMAT', saved.format],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
