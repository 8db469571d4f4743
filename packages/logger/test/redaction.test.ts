import { describe, expect, it } from 'vitest';
import {
  getLogger,
  LoggerError,
  registerSecretValue,
  runWithLogContext,
} from '../src/index.js';
import { captureLogger } from './sink.js';

describe('redaction by key', () => {
  it('redacts credential headers and fields in any case and at any depth', () => {
    const { logger, records } = captureLogger();
    logger.info({
      req: {
        headers: {
          Authorization: 'Bearer abc',
          'PROXY-AUTHORIZATION': 'Basic xyz',
          Cookie: 'sid=1',
          'set-cookie': ['sid=2'],
          accept: 'application/json',
        },
      },
      user: {
        name: 'ann',
        PassWord: 'hunter2',
        profile: { settings: [{ apiKey: 'k1' }, { API_KEY: 'k2' }] },
      },
      db: {
        passwd: 'p',
        Private_Key: '-----BEGIN',
        client_secret: 'cs',
        Credentials: { user: 'u' },
      },
      refresh_token: 'rt',
      secret: 's',
      token_count: 12,
    });
    const r = records[0]!;
    expect(r['req'].headers).toEqual({
      Authorization: '[REDACTED]',
      'PROXY-AUTHORIZATION': '[REDACTED]',
      Cookie: '[REDACTED]',
      'set-cookie': '[REDACTED]',
      accept: 'application/json',
    });
    expect(r['user']).toEqual({
      name: 'ann',
      PassWord: '[REDACTED]',
      profile: {
        settings: [{ apiKey: '[REDACTED]' }, { API_KEY: '[REDACTED]' }],
      },
    });
    expect(r['db']).toEqual({
      passwd: '[REDACTED]',
      Private_Key: '[REDACTED]',
      client_secret: '[REDACTED]',
      Credentials: '[REDACTED]',
    });
    expect(r['refresh_token']).toBe('[REDACTED]');
    expect(r['secret']).toBe('[REDACTED]');
    expect(r['token_count']).toBe(12);
  });

  it('does not change the object the caller logged', () => {
    const { logger } = captureLogger();
    const input = {
      headers: { authorization: 'Bearer abc' },
      list: [{ token: 't' }],
    };
    logger.info(input);
    expect(input).toEqual({
      headers: { authorization: 'Bearer abc' },
      list: [{ token: 't' }],
    });
  });

  it('redacts inside child and scope bindings and inside serialized errors', () => {
    const { logger, records } = captureLogger();
    logger.child({ upstream: { Authorization: 'Bearer child' } }).info('child');
    runWithLogContext({ request_id: 'r', headers: { cookie: 'c=1' } }, () =>
      getLogger().info('scope'),
    );
    const error = Object.assign(new Error('request failed'), {
      config: { headers: { Authorization: 'Bearer in-error' } },
    });
    logger.error(error);
    expect(records[0]!['upstream']).toEqual({ Authorization: '[REDACTED]' });
    expect(records[1]!['headers']).toEqual({ cookie: '[REDACTED]' });
    expect(records[2]!['err'].config.headers.Authorization).toBe('[REDACTED]');
    expect(records[2]!['err'].type).toBe('Error');
  });

  it('redacts next to a property whose getter throws, and marks that property', () => {
    const { logger, records } = captureLogger();
    const odd = {
      password: 'pw',
      get broken(): string {
        throw new Error('no value');
      },
      fine: 1,
    };
    logger.info({ odd }, 'mixed');
    expect(records[0]!['odd']).toEqual({
      password: '[REDACTED]',
      broken: '[unserializable: Error: no value]',
      fine: 1,
    });
  });

  it('redacts the extra keys given in redactKeys', () => {
    const { logger, records } = captureLogger({ redactKeys: ['ssn'] });
    logger.info({ person: { SSN: '123-45-6789', name: 'bo' } });
    expect(records[0]!['person']).toEqual({ SSN: '[REDACTED]', name: 'bo' });
  });

  it('survives circular objects and keeps redacting around them', () => {
    const { logger, records } = captureLogger();
    const node: Record<string, unknown> = { name: 'n', password: 'pw' };
    node['self'] = node;
    logger.info({ node });
    expect(records[0]!['node']).toEqual({
      name: 'n',
      password: '[REDACTED]',
      self: '[Circular]',
    });
  });

  it('walks class instances and toJSON results the way JSON would print them', () => {
    const { logger, records } = captureLogger();
    class Account {
      constructor(
        public id: string,
        public password: string,
      ) {}
    }
    const masked = { toJSON: () => ({ token: 'from-toJSON', ok: true }) };
    logger.info({ account: new Account('a1', 'pw'), masked, at: new Date(0) });
    expect(records[0]!['account']).toEqual({
      id: 'a1',
      password: '[REDACTED]',
    });
    expect(records[0]!['masked']).toEqual({ token: '[REDACTED]', ok: true });
    expect(records[0]!['at']).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('redaction by value', () => {
  it('scrubs a registered secret from messages, nested objects and bindings', () => {
    const { logger, records, raw } = captureLogger();
    registerSecretValue('db-pass-4711');
    logger
      .child({ dsn: 'postgres://app:db-pass-4711@db/orders' })
      .info(
        { deep: { list: ['x', { note: 'uses db-pass-4711' }] } },
        'connecting with db-pass-4711 now',
      );
    expect(raw[0]).not.toContain('db-pass-4711');
    expect(records[0]!['msg']).toBe('connecting with [REDACTED] now');
    expect(records[0]!['dsn']).toBe('postgres://app:[REDACTED]@db/orders');
    expect(records[0]!['deep'].list[1].note).toBe('uses [REDACTED]');
  });

  it('scrubs a registered secret from err.message and err.stack, including in causes', () => {
    const { logger, records, raw } = captureLogger();
    registerSecretValue('sk_live_0123456789');
    const cause = new Error('bad key sk_live_0123456789');
    logger.error(
      new Error('payment provider refused sk_live_0123456789', { cause }),
    );
    expect(raw[0]).not.toContain('sk_live_0123456789');
    const err = records[0]!['err'];
    expect(err.message).toBe('payment provider refused [REDACTED]');
    expect(err.stack).toContain('Error: payment provider refused [REDACTED]');
    expect(err.cause.stack).toContain('Error: bad key [REDACTED]');
  });

  it('scrubs a secret that contains characters JSON escapes', () => {
    const { logger, records, raw } = captureLogger();
    const secret = 'pa"ss\\word\n42';
    registerSecretValue(secret);
    logger.info({ value: `x${secret}y` }, `msg ${secret}`);
    expect(records[0]!['value']).toBe('x[REDACTED]y');
    expect(records[0]!['msg']).toBe('msg [REDACTED]');
    expect(raw[0]).not.toContain(JSON.stringify(secret).slice(1, -1));
  });

  it('scrubs a secret made of regular-expression characters, and only that text', () => {
    const { logger, records } = captureLogger();
    registerSecretValue('a.b*c+d?(e)|[f]^$');
    logger.info('x a.b*c+d?(e)|[f]^$ y aXb*c+d?(e)|[f]^$ z');
    expect(records[0]!['msg']).toBe('x [REDACTED] y aXb*c+d?(e)|[f]^$ z');
  });

  it('replaces the longest of two overlapping secrets whole', () => {
    const { logger, records } = captureLogger();
    registerSecretValue('overlap-secret');
    registerSecretValue('overlap-secret-longer');
    logger.info('v=overlap-secret-longer w=overlap-secret');
    expect(records[0]!['msg']).toBe('v=[REDACTED] w=[REDACTED]');
  });

  it('scrubs a secret registered after the logger was created, in every logger', () => {
    const a = captureLogger();
    const b = captureLogger();
    registerSecretValue('late-registered-value');
    a.logger.info('a late-registered-value');
    b.logger.info('b late-registered-value');
    expect(a.records[0]!['msg']).toBe('a [REDACTED]');
    expect(b.records[0]!['msg']).toBe('b [REDACTED]');
  });

  it('refuses a secret shorter than 6 characters with KENOS_ERR_LOGGER_SECRET_TOO_SHORT', () => {
    expect(() => registerSecretValue('12345')).toThrow(LoggerError);
    expect(() => registerSecretValue('12345')).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_LOGGER_SECRET_TOO_SHORT' }),
    );
    expect(() => registerSecretValue(123456 as never)).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_LOGGER_SECRET_INVALID' }),
    );
    expect(() => registerSecretValue('123456')).not.toThrow();
  });
});
