import { describe, expect, it } from 'vitest';
import { registerSecretValue } from '../src/index.js';
import { captureLogger } from './sink.js';

/** Logs `fields` through a real logger and returns the line as written. */
function logLine(
  fields: Record<string, unknown>,
  msg = 'http request',
): string {
  const { logger, raw } = captureLogger();
  logger.info(fields, msg);
  return raw.join('');
}

const base64 = (text: string): string =>
  Buffer.from(text, 'utf8').toString('base64');

describe('scrubbing the encoded forms of a secret', () => {
  const secret = 'pa+ss/w=rd$"q\\<é> x';
  registerSecretValue(secret);

  it('scrubs a secret URL-encoded in an access line path, by encodeURIComponent, encodeURI and a form', () => {
    const line = logLine({
      http: {
        method: 'GET',
        path: `/v1/greetings/${encodeURIComponent(secret)}`,
      },
      uri: `https://api.example/${encodeURI(secret)}`,
      query: new URLSearchParams({ token: secret }).toString(),
    });
    expect(line).toContain('"path":"/v1/greetings/[REDACTED]"');
    expect(line).toContain('"uri":"https://api.example/[REDACTED]"');
    expect(line).toContain('"query":"token=[REDACTED]"');
    expect(line).not.toContain('rd%24');
  });

  it('scrubs percent-encoding in lower- and mixed-case hex, and a path a client encoded only in part', () => {
    const lower = encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) =>
      m.toLowerCase(),
    );
    const mixed = encodeURIComponent(secret)
      .replace('%2F', '%2f')
      .replace('%C3', '%c3');
    const partly = new URL(`http://h/${secret}`).pathname.slice(1);
    const line = logLine({ lower, mixed, partly });
    expect(line).toContain(
      '"lower":"[REDACTED]","mixed":"[REDACTED]","partly":"[REDACTED]"',
    );
  });

  it('scrubs the base64 and base64url of a secret inside a longer encoded text, at each of the three alignments', () => {
    const fields: Record<string, string> = {};
    for (const prefix of ['', 'u:', 'us:', 'use:']) {
      fields[`b64_${prefix.length}`] = `Basic ${base64(`${prefix}${secret}`)}`;
      fields[`url_${prefix.length}`] = Buffer.from(
        `${prefix}${secret}!`,
        'utf8',
      ).toString('base64url');
    }
    const line = logLine(fields);
    const record = JSON.parse(line) as Record<string, string>;
    for (const [key, value] of Object.entries(fields)) {
      expect(record[key], key).toContain('[REDACTED]');
      // what is left: the prefix's own characters and one or two at each edge that mix in a neighbour's bits
      expect(
        record[key]!.replace(/^Basic /, '')
          .replace('[REDACTED]', '')
          .replace(/=+$/, '').length,
        key,
      ).toBeLessThanOrEqual(9);
      expect(value.length, key).toBeGreaterThan(24);
    }
  });

  it('scrubs a secret JSON-escaped inside a logged JSON text, non-ASCII characters raw or \\u-escaped', () => {
    const body = JSON.stringify({ password: secret });
    const asciiOnly = body.replace(
      /[^\x20-\x7e]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    const htmlSafe = body.replace(
      /[<>]/g,
      (c) =>
        `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    );
    const line = logLine(
      { body, asciiOnly, htmlSafe },
      `upstream answered ${body}`,
    );
    const record = JSON.parse(line) as Record<string, string>;
    expect(record['body']).toBe('{"password":"[REDACTED]"}');
    expect(record['asciiOnly']).toBe('{"password":"[REDACTED]"}');
    expect(record['htmlSafe']).toBe('{"password":"[REDACTED]"}');
    expect(record['msg']).toBe('upstream answered {"password":"[REDACTED]"}');
  });

  it('leaves a text that decodes to something other than the secret as it is', () => {
    const other = secret.replace('q', 'Q');
    const line = logLine({
      path: encodeURIComponent(other),
      b64: base64(`xyz${other.slice(0, 8)}`),
    });
    expect(line).not.toContain('[REDACTED]');
  });
});

describe('scrubbing a secret whose forms share their first characters', () => {
  it('scrubs a secret of backslashes and quotes from a line full of them, along one path (no backtracking)', () => {
    const secret = `${'\\'.repeat(20)}${'"'.repeat(20)}!`;
    registerSecretValue(secret);
    const noise = `${'\\'.repeat(80)}${'"'.repeat(80)}`;
    const record = JSON.parse(
      logLine({
        noise,
        body: JSON.stringify({ noise }),
        hit: `<${secret}>`,
        quoted: JSON.stringify({ secret }),
      }),
    ) as Record<string, string>;
    expect(record['noise']).toBe(noise);
    expect(record['body']).toBe(JSON.stringify({ noise }));
    expect(record['hit']).toBe('<[REDACTED]>');
    expect(record['quoted']).toBe('{"secret":"[REDACTED]"}');
  });
});

describe('scrubbing the encoded forms of secrets with and without a long unencoded run', () => {
  it('scrubs a long random token, URL-encoded and in base64, among other values', () => {
    const token = 'Zq3+kP9/Lm2xR7vT0wYc=8Hn';
    registerSecretValue(token);
    registerSecretValue('plain-value-123456');
    const line = logLine({
      path: `/t/${encodeURIComponent(token)}`,
      auth: `Bearer ${base64(`svc:${token}`)}`,
      note: 'plain-value-123456',
    });
    expect(line).toContain('"path":"/t/[REDACTED]"');
    expect(line).toContain('"note":"[REDACTED]"');
    expect(line).not.toContain(base64(token).slice(4, 20));
  });

  it('scrubs the forms of a value registered by another copy of @kenos/logger in the process', () => {
    // what an older copy does: it adds the value to the shared registry (and its raw and JSON forms)
    const shared = (globalThis as Record<symbol, { values: Set<string> }>)[
      Symbol.for('@kenos/logger.secrets.v1')
    ]!;
    shared.values.add('other+copy/value');
    const line = logLine({ path: encodeURIComponent('other+copy/value') });
    expect(line).toContain('"path":"[REDACTED]"');
  });
});
