import { describe, expect, it } from 'vitest';
import { runFixture } from './child.js';

describe('log schema on real stdout', () => {
  it('writes every standard field, scope binding, trace field and error field', async () => {
    const r = await runFixture('schema.mjs', [], { KENOS_ENV: 'qa' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [fallback, sent, failed] = r.lines.map(
      (l) => JSON.parse(l) as Record<string, any>,
    );
    expect(fallback).toMatchObject({
      level: 'info',
      service: 'unknown',
      version: '0.0.0',
      env: 'qa',
      component: 'unknown',
      msg: 'before createLogger',
    });
    const common = {
      service: 'schema',
      version: '3.0.1',
      env: 'staging',
      component: 'worker:mail',
      request_id: 'req-42',
      job: 'welcome-mail',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      trace_flags: '01',
    };
    expect(sent).toMatchObject({
      ...common,
      level: 'info',
      to: 'someone@example.com',
      msg: 'mail sent',
    });
    expect(Date.parse(sent!['time'] as string)).not.toBeNaN();
    expect(sent!['time']).toMatch(/Z$/);
    expect(failed).toMatchObject({
      ...common,
      level: 'error',
      msg: 'mail failed',
    });
    expect(failed!['err']).toMatchObject({
      type: 'AggregateError',
      message: 'all relays failed',
      aggregateErrors: [{ type: 'Error', message: 'mx1 down' }],
      cause: { type: 'Error', message: 'connection reset' },
    });
    expect(failed!['err'].stack).toContain('AggregateError: all relays failed');
    expect(failed!['err'].cause.stack).toContain('Error: connection reset');
  });
});
