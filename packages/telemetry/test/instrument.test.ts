import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMetrics,
  currentTraceIds,
  injectContext,
  instrumentHttpRequest,
  shutdownTracing,
  startRpcServerCall,
  startTracing,
  withSpan,
} from '../src/index.js';
import { find, parsePromText } from './prom-text.js';

const servers: Server[] = [];
afterEach(async () => {
  await shutdownTracing(2000);
  await Promise.all(
    servers.splice(0).map((s) => new Promise((r) => s.close(r))),
  );
});

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';

describe('instrumentHttpRequest', () => {
  it('records a server span under the incoming trace and the request histogram with the route template', async () => {
    const memory = new InMemorySpanExporter();
    startTracing({
      serviceName: 'shop',
      serviceVersion: '1',
      env: {},
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    const metrics = createMetrics({
      service: 'shop',
      version: '1',
      collectDefaultMetrics: false,
    });
    const routeOf = (url: string | undefined): string | undefined =>
      url?.startsWith('/items/') ? '/items/:id' : undefined;
    const server = createServer((req, res) =>
      instrumentHttpRequest(
        req,
        res,
        () => {
          // the handler runs inside the span: logs and downstream calls carry its ids
          const ids = currentTraceIds();
          res.statusCode = req.url?.endsWith('/boom')
            ? 503
            : routeOf(req.url)
              ? 200
              : 404;
          res.end(JSON.stringify({ ids, downstream: injectContext({}) }));
        },
        { metrics, getRoute: (r) => routeOf(r.url) },
      ),
    );
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body = (await fetch(`${base}/items/7?secret=x`, {
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
    }).then((r) => r.json())) as {
      ids: { traceId: string; spanId: string };
      downstream: { traceparent: string };
    };
    await fetch(`${base}/items/boom`).then((r) => r.text());
    await fetch(`${base}/random/${Math.random()}`).then((r) => r.text());
    expect(body.ids.traceId).toBe(TRACE_ID);
    expect(body.downstream.traceparent).toBe(
      `00-${TRACE_ID}-${body.ids.spanId}-01`,
    );

    await new Promise((r) => setTimeout(r, 20));
    const spans = memory.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual([
      'GET /items/:id',
      'GET /items/:id',
      'GET',
    ]);
    const [first, boom] = spans;
    expect(first?.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(first?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/items/:id',
      'http.response.status_code': 200,
      'url.path': '/items/7',
    });
    expect(boom?.status.code).toBe(2);
    expect(boom?.attributes['error.type']).toBe('503');

    const { samples } = parsePromText(await metrics.metrics());
    const counts = find(
      samples,
      'http_server_request_duration_seconds_count',
    ).map((s) => [
      s.labels.http_route,
      s.labels.http_response_status_code,
      s.value,
    ]);
    expect(counts).toEqual([
      ['/items/:id', '200', 1],
      ['/items/:id', '503', 1],
      ['(unmatched)', '404', 1],
    ]);
  });

  it('still ends the request and calls onEnd when getRoute or the metrics throw', async () => {
    startTracing({ serviceName: 'shop', serviceVersion: '1', env: {} });
    const ended: string[] = [];
    const server = createServer((req, res) =>
      instrumentHttpRequest(req, res, () => res.end('ok'), {
        getRoute: () => {
          throw new Error('route lookup broke');
        },
        metrics: {
          observeHttpRequest: () => {
            throw new Error('metrics broke');
          },
        },
        onEnd: (result) => void ended.push(result.route),
      }),
    );
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await fetch(`${base}/a`).then((r) => r.text())).toBe('ok');
    for (let i = 0; i < 100 && ended.length < 1; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(ended).toEqual(['(unmatched)']);
  });

  it('calls onEnd once per request with the route, path, status and whether the client aborted, and survives a throwing hook', async () => {
    startTracing({ serviceName: 'shop', serviceVersion: '1', env: {} });
    const ended: {
      route: string;
      path: string;
      statusCode: number;
      aborted: boolean;
      method: string;
    }[] = [];
    let calls = 0;
    const server = createServer((req, res) =>
      instrumentHttpRequest(
        req,
        res,
        () => {
          if (req.url === '/hang') return; // never answers: the client aborts
          res.statusCode = 201;
          res.end('ok');
        },
        {
          getRoute: (r) => (r.url?.startsWith('/items') ? '/items' : undefined),
          onEnd: (result) => {
            calls++;
            ended.push({
              route: result.route,
              path: result.path,
              statusCode: result.statusCode,
              aborted: result.aborted,
              method: result.method,
            });
            if (calls === 1)
              throw new Error('a broken access log must not crash the host');
          },
        },
      ),
    );
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await fetch(`${base}/items?page=2`, { method: 'POST' }).then((r) =>
      r.text(),
    );
    await fetch(`${base}/other`).then((r) => r.text());
    await fetch(`${base}/hang`, { signal: AbortSignal.timeout(100) }).catch(
      () => undefined,
    );
    for (let i = 0; i < 100 && ended.length < 3; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(ended).toEqual([
      {
        route: '/items',
        path: '/items',
        statusCode: 201,
        aborted: false,
        method: 'POST',
      },
      {
        route: '(unmatched)',
        path: '/other',
        statusCode: 201,
        aborted: false,
        method: 'GET',
      },
      {
        route: '(unmatched)',
        path: '/hang',
        statusCode: 200,
        aborted: true,
        method: 'GET',
      },
    ]);
  });
});

describe('startRpcServerCall', () => {
  it('joins the caller trace from metadata, marks server error codes and records the call histogram', async () => {
    const memory = new InMemorySpanExporter();
    startTracing({
      serviceName: 'shop',
      serviceVersion: '1',
      env: {},
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    const metrics = createMetrics({
      service: 'shop',
      version: '1',
      collectDefaultMetrics: false,
    });
    // the client side: a span whose context travels as metadata
    const metadata = withSpan({ name: 'client', kind: 'client' }, () =>
      injectContext({}),
    );
    const ok = startRpcServerCall(
      metadata,
      'kenos.v1.Shop',
      'GetItem',
      metrics,
    );
    const inside = ok.run(() => currentTraceIds());
    ok.end(0);
    ok.end(13); // ignored
    const failed = startRpcServerCall({}, 'kenos.v1.Shop', 'GetItem', metrics);
    failed.end(14, new Error('db down'));
    const notFound = startRpcServerCall(
      {},
      'kenos.v1.Shop',
      'GetItem',
      metrics,
    );
    notFound.end(5);

    const [client, okSpan, failedSpan, notFoundSpan] =
      memory.getFinishedSpans();
    expect(okSpan?.name).toBe('kenos.v1.Shop/GetItem');
    expect(okSpan?.spanContext().traceId).toBe(client?.spanContext().traceId);
    expect(okSpan?.parentSpanContext?.spanId).toBe(
      client?.spanContext().spanId,
    );
    expect(inside?.spanId).toBe(okSpan?.spanContext().spanId);
    expect(okSpan?.attributes).toMatchObject({
      'rpc.system': 'grpc',
      'rpc.service': 'kenos.v1.Shop',
      'rpc.method': 'GetItem',
      'rpc.grpc.status_code': 0,
    });
    expect([
      okSpan?.status.code,
      failedSpan?.status.code,
      notFoundSpan?.status.code,
    ]).toEqual([0, 2, 0]);
    expect(failedSpan?.status.message).toBe('db down');

    const { samples } = parsePromText(await metrics.metrics());
    expect(
      find(samples, 'rpc_server_call_duration_seconds_count').map((s) => [
        s.labels.rpc_grpc_status_code,
        s.value,
      ]),
    ).toEqual([
      ['0', 1],
      ['14', 1],
      ['5', 1],
    ]);
  });

  it('still ends the span when the metrics throw, so the caller can answer the call', () => {
    const memory = new InMemorySpanExporter();
    startTracing({
      serviceName: 'shop',
      serviceVersion: '1',
      env: {},
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    const broken = {
      observeRpcCall: () => {
        throw new Error('metrics broke');
      },
    };
    const call = startRpcServerCall({}, 'kenos.v1.Shop', 'GetItem', broken);
    expect(() => call.end(0)).not.toThrow();
    expect(memory.getFinishedSpans().map((s) => s.name)).toEqual([
      'kenos.v1.Shop/GetItem',
    ]);
  });
});
