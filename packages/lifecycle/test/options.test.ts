import { describe, expect, it, vi } from 'vitest';
import { LifecycleError } from '../src/lifecycle-error.js';
import { resolveLifecycleOptions } from '../src/options.js';

describe('resolveLifecycleOptions', () => {
  it('fills every option with its documented default outside Kubernetes', () => {
    const o = resolveLifecycleOptions({});
    expect(o).toMatchObject({
      adminPort: 9000,
      adminHost: '0.0.0.0',
      adminMutatingRoutes: 'off',
      adminToken: '',
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 30_000,
      drainTimeoutMs: 30_000,
      hookTimeoutMs: 5000,
      checkTimeoutMs: 2000,
      checkIntervalMs: 5000,
      startupTimeoutMs: 60_000,
      handleSignals: true,
      handleCrashes: true,
    });
    expect(typeof o.exit).toBe('function');
    expect(typeof o.logger.fatal).toBe('function');
  });

  it("waits no shutdown delay unless given one, on Kubernetes too: the Kubernetes default is config's shutdown.delayMs", () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '10.0.0.1');
    try {
      expect(resolveLifecycleOptions({}).shutdownDelayMs).toBe(0);
      expect(
        resolveLifecycleOptions({ shutdownDelayMs: 5000 }).shutdownDelayMs,
      ).toBe(5000);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('derives the drain deadline from the overall deadline unless given', () => {
    expect(
      resolveLifecycleOptions({ shutdownTimeoutMs: 1000 }).drainTimeoutMs,
    ).toBe(1000);
    expect(
      resolveLifecycleOptions({ shutdownTimeoutMs: 1000, drainTimeoutMs: 400 })
        .drainTimeoutMs,
    ).toBe(400);
  });

  it('requires the admin token for mutating routes when one is given, and turns them off when none is', () => {
    expect(
      resolveLifecycleOptions({ adminToken: 't0ken-t0ken-t0ken' })
        .adminMutatingRoutes,
    ).toBe('token');
    expect(resolveLifecycleOptions({}).adminMutatingRoutes).toBe('off');
    expect(
      resolveLifecycleOptions({ adminMutatingRoutes: 'open' })
        .adminMutatingRoutes,
    ).toBe('open');
    expect(() =>
      resolveLifecycleOptions({
        adminMutatingRoutes: 'everyone' as unknown as 'open',
      }),
    ).toThrow(/adminMutatingRoutes must be one of open, token, off/);
  });

  it('rejects out-of-range options with KENOS_ERR_LIFECYCLE_INVALID_OPTIONS listing every problem', () => {
    let caught: unknown;
    try {
      resolveLifecycleOptions({
        adminPort: 70_000,
        shutdownTimeoutMs: -1,
        hookTimeoutMs: Number.NaN,
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LifecycleError);
    const err = caught as LifecycleError;
    expect(err.code).toBe('KENOS_ERR_LIFECYCLE_INVALID_OPTIONS');
    expect(err.message).toContain(
      'adminPort must be an integer from 0 to 65535, got 70000',
    );
    expect(err.message).toContain('shutdownTimeoutMs must be');
    expect(err.message).toContain('hookTimeoutMs must be');
  });

  it('logs through logger.child({ module: "lifecycle" }) when the logger has one', () => {
    const seen: Record<string, unknown>[] = [];
    const base = {
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      fatal: () => undefined,
      child: (bindings: Record<string, unknown>) => {
        seen.push(bindings);
        return base;
      },
    };
    resolveLifecycleOptions({ logger: base });
    expect(seen).toEqual([{ module: 'lifecycle' }]);
  });
});
