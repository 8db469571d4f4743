import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  currentTraceIds,
  shutdownTracing,
  startTracing,
  withSpan,
} from '../src/index.js';

const servers: Server[] = [];
afterEach(async () => {
  await shutdownTracing(2000);
  await Promise.all(
    servers.splice(0).map((s) => new Promise((r) => s.close(r))),
  );
});

/** A downstream service that answers with the traceparent it received. */
async function echoTraceparent(): Promise<string> {
  const server = createServer((req, res) =>
    res.end(String(req.headers.traceparent ?? 'none')),
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function httpGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('outgoing propagation', () => {
  it('adds the active span traceparent to fetch and node:http requests, keeping headers the caller set', async () => {
    startTracing({ serviceName: 'caller', serviceVersion: '1', env: {} });
    const url = await echoTraceparent();
    const seen = await withSpan(
      { name: 'handler', kind: 'server' },
      async () => {
        const ids = currentTraceIds();
        return {
          expected: `00-${ids?.traceId}-${ids?.spanId}-01`,
          fetched: await fetch(url).then((r) => r.text()),
          got: await httpGet(url),
          own: await httpGet(url, {
            traceparent:
              '00-11111111111111111111111111111111-2222222222222222-01',
          }),
        };
      },
    );
    expect(seen.fetched).toBe(seen.expected);
    expect(seen.got).toBe(seen.expected);
    expect(seen.own).toBe(
      '00-11111111111111111111111111111111-2222222222222222-01',
    );
    // outside any span nothing is added
    expect(await fetch(url).then((r) => r.text())).toBe('none');
  });

  it('adds nothing once tracing is shut down or when disabled', async () => {
    const url = await echoTraceparent();
    startTracing({
      serviceName: 'caller',
      serviceVersion: '1',
      env: {},
      propagateOutgoing: false,
    });
    expect(
      await withSpan({ name: 'h' }, () => fetch(url).then((r) => r.text())),
    ).toBe('none');
    await shutdownTracing();
    startTracing({ serviceName: 'caller', serviceVersion: '1', env: {} });
    await shutdownTracing();
    expect(await httpGet(url)).toBe('none');
  });
});
