import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deriveMaxConnections,
  readOpenFilesLimit,
  resolveConnectionCaps,
} from '../src/service/connection-limits.js';
import {
  type ServiceProcess,
  startService,
  stopAllServices,
} from '@kenos/testing';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 1048576              files
Max locked memory         8388608              8388608              bytes
`;

describe('readOpenFilesLimit', () => {
  it('reads the soft open-files limit from /proc/self/limits', () => {
    expect(readOpenFilesLimit(() => LIMITS)).toBe(1024);
  });

  it('says unknown for an unlimited or unreadable limit', () => {
    expect(
      readOpenFilesLimit(() =>
        LIMITS.replace(
          '1024                 1048576',
          'unlimited            unlimited',
        ),
      ),
    ).toBeUndefined();
    expect(
      readOpenFilesLimit(() => {
        throw new Error('ENOENT: no /proc on this system');
      }),
    ).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')(
    'reads the limit of this process on Linux',
    () => {
      expect(readOpenFilesLimit()).toBeGreaterThan(0);
    },
  );
});

describe('deriveMaxConnections', () => {
  it.each([
    [1024, 2, 384],
    [1024, 1, 768],
    [256, 2, 96],
    [65_536, 2, 32_640],
    [1_048_576, 2, 524_160],
    [16, 2, 6],
  ])(
    'gives each API listener a share of limit %i minus the headroom (%i listeners: %i)',
    (limit, listeners, cap) => {
      expect(deriveMaxConnections(limit, listeners)).toBe(cap);
    },
  );

  it('does not cap when the limit is unknown', () => {
    expect(deriveMaxConnections(undefined, 2)).toBe(0);
  });
});

describe('resolveConnectionCaps', () => {
  const both = { http: true, grpc: true };

  it('derives the caps the config leaves at 0 and keeps the ones it sets', () => {
    expect(resolveConnectionCaps({ http: 0, grpc: 0 }, both, 1024)).toEqual({
      http: 384,
      grpc: 384,
      openFilesLimit: 1024,
      budget: 768,
    });
    expect(
      resolveConnectionCaps({ http: 512, grpc: 0 }, both, 1024),
    ).toMatchObject({ http: 512, grpc: 384 });
  });

  it('gives the whole share to the only API listener a service has', () => {
    expect(
      resolveConnectionCaps(
        { http: 0, grpc: 0 },
        { http: true, grpc: false },
        1024,
      ),
    ).toMatchObject({ http: 768, grpc: 0 });
  });

  it('does not cap, and has no budget, when the limit is unknown', () => {
    expect(
      resolveConnectionCaps({ http: 0, grpc: 7 }, both, undefined),
    ).toEqual({
      http: 0,
      grpc: 7,
      openFilesLimit: undefined,
      budget: undefined,
    });
  });
});

describe('HTTP_MAX_CONNECTIONS and GRPC_MAX_CONNECTIONS', () => {
  const fixture = fileURLToPath(
    new URL('./fixtures/service.mjs', import.meta.url),
  );
  let svc: ServiceProcess;
  const open: Socket[] = [];
  beforeAll(async () => {
    svc = await startService(fixture, 'api', {
      env: {
        HTTP_MAX_CONNECTIONS: '4',
        GRPC_MAX_CONNECTIONS: '3',
      },
      readyTimeoutMs: 30_000,
    });
  });
  afterAll(async () => {
    for (const s of open) s.destroy();
    svc.kill('SIGTERM');
    await svc.exited;
    await stopAllServices();
  });

  /** Opens `count` idle connections; resolves with how many the server closed, once it closed `expected`. */
  async function flood(
    port: number,
    count: number,
    expected: number,
  ): Promise<number> {
    let closed = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`only ${closed} of ${expected} connections closed`)),
        10_000,
      );
      for (let i = 0; i < count; i++) {
        const s = connect(port, '127.0.0.1');
        open.push(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          if (++closed === expected) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
    });
    return closed;
  }

  it('logs the caps it was given instead of the derived ones', async () => {
    const line = await svc.waitForLine((l) => l.msg === 'connection caps');
    expect(line['max_connections']).toEqual({ http: 4, grpc: 3 });
  });

  it('closes HTTP connections beyond the cap at accept, warns once, and keeps /ready answering', async () => {
    expect(await flood(svc.ports.http as number, 10, 6)).toBe(6);
    const warn = await svc.waitForLine(
      (l) =>
        l['code'] === 'KENOS_ERR_SERVER_CONNECTION_LIMIT' &&
        l['listener'] === 'http',
    );
    expect(warn).toMatchObject({
      level: 'warn',
      max_connections: 4,
      dropped: 1,
    });
    expect(
      (await fetch(`http://127.0.0.1:${svc.ports.admin}/ready`)).status,
    ).toBe(200);
  });

  it('closes gRPC connections beyond the cap at accept', async () => {
    expect(await flood(svc.ports.grpc as number, 7, 4)).toBe(4);
    await svc.waitForLine(
      (l) =>
        l['code'] === 'KENOS_ERR_SERVER_CONNECTION_LIMIT' &&
        l['listener'] === 'grpc',
    );
  });
});
