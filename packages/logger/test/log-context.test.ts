import { setTimeout as delay } from 'node:timers/promises';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLogger, runWithLogContext } from '../src/index.js';
import { captureLogger } from './sink.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('runWithLogContext', () => {
  it('adds the bindings to every line logged through getLogger inside the scope, across awaits', async () => {
    const { records } = captureLogger();
    await runWithLogContext(
      { request_id: 'req-1', tenant: 'acme' },
      async () => {
        getLogger().info('before');
        await delay(1);
        await Promise.resolve().then(() => getLogger().info('after'));
      },
    );
    getLogger().info('outside');
    expect(
      records.map((r) => [r['msg'], r['request_id'], r['tenant']]),
    ).toEqual([
      ['before', 'req-1', 'acme'],
      ['after', 'req-1', 'acme'],
      ['outside', undefined, undefined],
    ]);
    expect(records[0]).toMatchObject({ service: 'orders', component: 'api' });
  });

  it('keeps concurrent scopes apart', async () => {
    const { records } = captureLogger();
    await Promise.all(
      ['a', 'b', 'c'].map((id, n) =>
        runWithLogContext({ request_id: id }, async () => {
          await delay(5 - n);
          getLogger().info(id);
        }),
      ),
    );
    for (const r of records) expect(r['request_id']).toBe(r['msg']);
    expect(records).toHaveLength(3);
  });

  it('gives the outermost scope a request_id when the caller has none, and nested scopes inherit it', () => {
    const { records } = captureLogger();
    runWithLogContext({ job: 'nightly' }, () => {
      getLogger().info('outer');
      runWithLogContext({ step: 2 }, () => getLogger().info('inner'));
    });
    const [outer, inner] = records;
    expect(outer!['request_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(inner).toMatchObject({
      request_id: outer!['request_id'],
      job: 'nightly',
      step: 2,
    });
  });

  it('builds the scope logger only when something logs in the scope, once, with the bindings as they were given', () => {
    const { logger, records } = captureLogger();
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof logger.child>) => {
      children++;
      return child(...args);
    }) as typeof logger.child;
    runWithLogContext({ request_id: 'quiet' }, () => undefined);
    expect(children).toBe(0);
    const bindings: Record<string, unknown> = {
      request_id: 'loud',
      tenant: 'acme',
    };
    runWithLogContext(bindings, () => {
      bindings['tenant'] = 'changed after the scope began';
      getLogger().info('one');
      getLogger().info('two');
      expect(getLogger()).toBe(getLogger());
    });
    expect(children).toBe(1);
    expect(
      records.map((r) => [r['msg'], r['request_id'], r['tenant']]),
    ).toEqual([
      ['one', 'loud', 'acme'],
      ['two', 'loud', 'acme'],
    ]);
  });

  it('returns what the function returns', () => {
    captureLogger();
    expect(runWithLogContext({}, () => 42)).toBe(42);
  });

  it('writes no trace fields when no span is active', () => {
    const { records } = captureLogger();
    runWithLogContext({ request_id: 'r' }, () => getLogger().info('no span'));
    expect(records[0]).not.toHaveProperty('trace_id');
    expect(records[0]).not.toHaveProperty('span_id');
    expect(records[0]).not.toHaveProperty('trace_flags');
  });

  describe('with an OpenTelemetry context manager', () => {
    const manager = new AsyncLocalStorageContextManager();
    beforeAll(() => {
      context.setGlobalContextManager(manager.enable());
    });
    afterAll(() => {
      context.disable();
    });

    it('writes trace_id, span_id and trace_flags of the active span', async () => {
      const { records } = captureLogger();
      const span = trace.wrapSpanContext({
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceFlags: TraceFlags.SAMPLED,
      });
      await context.with(trace.setSpan(context.active(), span), () =>
        runWithLogContext({ request_id: 'req-2' }, async () => {
          await delay(1);
          getLogger().info({ amount: 3 }, 'charged');
        }),
      );
      getLogger().info('after the span');
      expect(records[0]).toMatchObject({
        request_id: 'req-2',
        trace_id: TRACE_ID,
        span_id: SPAN_ID,
        trace_flags: '01',
        amount: 3,
        msg: 'charged',
      });
      expect(records[1]).not.toHaveProperty('trace_id');
    });

    it('writes trace_flags 00 for an unsampled span and ignores an invalid span context', () => {
      const { records } = captureLogger();
      const unsampled = trace.wrapSpanContext({
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceFlags: TraceFlags.NONE,
      });
      context.with(trace.setSpan(context.active(), unsampled), () =>
        getLogger().info('unsampled'),
      );
      const invalid = trace.wrapSpanContext({
        traceId: '0'.repeat(32),
        spanId: '0'.repeat(16),
        traceFlags: 0,
      });
      context.with(trace.setSpan(context.active(), invalid), () =>
        getLogger().info('invalid'),
      );
      expect(records[0]).toMatchObject({
        trace_flags: '00',
        trace_id: TRACE_ID,
      });
      expect(records[1]).not.toHaveProperty('trace_id');
    });
  });
});
