import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../src/http/retry-budget.js';
import {
  backoffMs,
  isIdempotent,
  isRetryableStatus,
  retryAfterMs,
} from '../src/http/retry-policy.js';

describe('the retry rules', () => {
  it('retries only idempotent methods unless a call says otherwise', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])
      expect(isIdempotent(m, undefined)).toBe(true);
    expect(isIdempotent('POST', undefined)).toBe(false);
    expect(isIdempotent('PATCH', undefined)).toBe(false);
    expect(isIdempotent('POST', true)).toBe(true);
    expect(isIdempotent('GET', false)).toBe(false);
  });

  it('retries 429, 502, 503 and 504 and no other status', () => {
    expect([429, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 404, 409, 500, 501].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After as delay-seconds or an HTTP-date', () => {
    const now = Date.parse('2026-12-03T16:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 03 Dec 2026 16:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Thu, 03 Dec 2026 15:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('draws a full-jitter backoff below the capped exponential', () => {
    for (let retry = 1; retry <= 8; retry++) {
      const d = backoffMs(retry, 50, 1000);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(Math.min(1000, 50 * 2 ** (retry - 1)));
    }
  });
});

describe('the retry budget', () => {
  it('allows retries up to the ratio of first tries plus the reserve over its window', () => {
    const budget = new RetryBudget(0.1, 1, 10_000); // reserve: 10 retries per window
    const t = 1_000_000;
    for (let i = 0; i < 100; i++) budget.deposit(t);
    let allowed = 0;
    while (budget.tryWithdraw(t)) allowed++;
    expect(allowed).toBe(100 * 0.1 + 10);
  });

  it('lets a quiet client retry from the reserve', () => {
    const budget = new RetryBudget(0.1, 10, 1000);
    budget.deposit(0);
    expect(budget.tryWithdraw(0)).toBe(true);
  });

  it('forgets tries and retries that left the window', () => {
    const budget = new RetryBudget(0.5, 0, 1000);
    for (let i = 0; i < 10; i++) budget.deposit(0);
    for (let i = 0; i < 5; i++) expect(budget.tryWithdraw(0)).toBe(true);
    expect(budget.tryWithdraw(0)).toBe(false);
    // a window later the old deposits are gone: no budget until new first tries come
    expect(budget.tryWithdraw(1500)).toBe(false);
    for (let i = 0; i < 2; i++) budget.deposit(1500);
    expect(budget.tryWithdraw(1500)).toBe(true);
    expect(budget.tryWithdraw(1500)).toBe(false);
  });
});
