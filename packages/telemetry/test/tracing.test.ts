import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import {
  currentTraceIds,
  getTelemetryDiagnostics,
  getTracing,
  injectContext,
  otlpTracesUrlFromEnv,
  shutdownTracing,
  startTracing,
  tracingFlusher,
  withSpan,
  type TelemetryLogger,
} from '../src/index.js';
import { reportTelemetryFailure } from '../src/diagnostics.js';

const servers: Server[] = [];
afterEach(async () => {
  await shutdownTracing(2000);
  await Promise.all(
    servers.splice(0).map((s) => new Promise((r) => s.close(r))),
  );
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A service endpoint that opens a server span from the request headers and answers with its ids and the headers it would send downstream. */
function tracedServer(): Server {
  return createServer((req, res) => {
    withSpan(
      {
        name: 'GET /hello',
        kind: 'server',
        carrier: req.headers,
        attributes: { 'http.route': '/hello' },
      },
      async () => {
        await new Promise((r) => setImmediate(r));
        const downstream = injectContext({});
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ids: currentTraceIds(), downstream }));
      },
    );
  });
}

const quietLogger = (): TelemetryLogger & {
  lines: { level: string; obj: Record<string, unknown>; msg: string }[];
} => {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] =
    [];
  return {
    lines,
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
};

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describe('startTracing', () => {
  it('joins the trace of an incoming traceparent and propagates it downstream', async () => {
    const memory = new InMemorySpanExporter();
    startTracing({
      serviceName: 'orders',
      serviceVersion: '1.0.0',
      env: {},
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    const url = await listen(tracedServer());
    const body = (await fetch(`${url}/hello`, {
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
    }).then((r) => r.json())) as {
      ids: { traceId: string; spanId: string; sampled: boolean };
      downstream: Record<string, string>;
    };
    expect(body.ids.traceId).toBe(TRACE_ID);
    expect(body.ids.sampled).toBe(true);
    expect(body.downstream.traceparent).toBe(
      `00-${TRACE_ID}-${body.ids.spanId}-01`,
    );
    const [span] = memory.getFinishedSpans();
    expect(span?.name).toBe('GET /hello');
    expect(span?.spanContext().traceId).toBe(TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(span?.kind).toBe(1); // SERVER
    expect(span?.attributes['http.route']).toBe('/hello');
    expect(span?.resource.attributes['service.name']).toBe('orders');
    expect(span?.resource.attributes['service.version']).toBe('1.0.0');
  });

  it('gives every span a valid new trace id when no exporter is configured and no traceparent came in', async () => {
    const tracing = startTracing({
      serviceName: 'orders',
      serviceVersion: '1.0.0',
      env: {},
    });
    expect(tracing.exporting).toBe(false);
    const url = await listen(tracedServer());
    const a = (await fetch(url).then((r) => r.json())) as {
      ids: { traceId: string; spanId: string };
      downstream: Record<string, string>;
    };
    const b = (await fetch(url).then((r) => r.json())) as {
      ids: { traceId: string };
    };
    expect(a.ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.ids.traceId).not.toBe('0'.repeat(32));
    expect(a.ids.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(b.ids.traceId).not.toBe(a.ids.traceId);
    expect(a.downstream.traceparent).toBe(
      `00-${a.ids.traceId}-${a.ids.spanId}-01`,
    );
  });

  it('makes propagation-only spans when nothing consumes them, still following the sampler and the parent flags', () => {
    const tracing = startTracing({
      serviceName: 's',
      serviceVersion: '1',
      env: {
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0',
      },
    });
    expect(tracing.recording).toBe(false);
    expect(tracing.resourceAttributes).toMatchObject({
      'service.name': 's',
      'service.version': '1',
    });
    const root = withSpan({ name: 'root' }, (span) => ({
      ids: currentTraceIds(),
      recording: span.isRecording(),
    }));
    expect(root.recording).toBe(false);
    expect(root.ids).toMatchObject({
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      sampled: false,
    });
    const child = withSpan(
      {
        name: 'in',
        kind: 'server',
        carrier: {
          traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`,
          tracestate: 'vendor=1',
        },
      },
      () => ({
        ids: currentTraceIds(),
        nested: withSpan({ name: 'nested' }, () => currentTraceIds()),
        out: injectContext({}),
      }),
    );
    expect(child.ids).toMatchObject({ traceId: TRACE_ID, sampled: true });
    expect(child.ids?.spanId).not.toBe(PARENT_ID);
    expect(child.nested?.traceId).toBe(TRACE_ID);
    expect(child.nested?.spanId).not.toBe(child.ids?.spanId);
    expect(child.out).toEqual({
      traceparent: `00-${TRACE_ID}-${child.ids?.spanId}-01`,
      tracestate: 'vendor=1',
    });
  });

  it('honours OTEL_TRACES_SAMPLER: always_off records nothing yet keeps valid ids', async () => {
    const memory = new InMemorySpanExporter();
    startTracing({
      serviceName: 's',
      serviceVersion: '1',
      env: { OTEL_TRACES_SAMPLER: 'always_off' },
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    const ids = withSpan({ name: 'job' }, () => currentTraceIds());
    expect(ids?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids?.sampled).toBe(false);
    expect(memory.getFinishedSpans()).toHaveLength(0);
  });

  it('follows the parent decision by default: an unsampled incoming traceparent stays unsampled', async () => {
    const memory = new InMemorySpanExporter();
    startTracing({
      serviceName: 's',
      serviceVersion: '1',
      env: {},
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    const ids = withSpan(
      {
        name: 'rpc',
        kind: 'server',
        carrier: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-00` },
      },
      () => currentTraceIds(),
    );
    expect(ids).toMatchObject({ traceId: TRACE_ID, sampled: false });
    expect(memory.getFinishedSpans()).toHaveLength(0);
  });

  it('records a thrown error on the span and rethrows it unchanged', async () => {
    const memory = new InMemorySpanExporter();
    startTracing({
      serviceName: 's',
      serviceVersion: '1',
      env: {},
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    const boom = new Error('boom');
    await expect(
      withSpan({ name: 'async' }, async () => Promise.reject(boom)),
    ).rejects.toBe(boom);
    expect(() =>
      withSpan({ name: 'sync' }, () => {
        throw boom;
      }),
    ).toThrow(boom);
    const spans = memory.getFinishedSpans();
    expect(
      spans.map((s) => [s.name, s.status.code, s.events[0]?.name]),
    ).toEqual([
      ['async', 2, 'exception'],
      ['sync', 2, 'exception'],
    ]);
  });

  it('returns the running instance when started twice and can be started again after shutdown', async () => {
    const first = startTracing({
      serviceName: 'a',
      serviceVersion: '1',
      env: {},
    });
    const logger = quietLogger();
    expect(
      startTracing({
        serviceName: 'b',
        serviceVersion: '1',
        env: { OTEL_TRACES_SAMPLER: 'nonsense' },
        logger,
      }),
    ).toBe(first);
    reportTelemetryFailure(new Error('collector gone'));
    expect(logger.lines.map((l) => l.obj.code)).toEqual([
      'KENOS_ERR_TELEMETRY_EXPORT',
    ]); // the second call's logger gets diagnostics
    expect(getTracing()).toBe(first);
    await shutdownTracing();
    expect(getTracing()).toBeUndefined();
    expect(
      withSpan({ name: 'after' }, () => currentTraceIds()),
    ).toBeUndefined();
    expect(
      startTracing({ serviceName: 'c', serviceVersion: '1', env: {} }),
    ).not.toBe(first);
  });

  it('offers a lifecycle flusher that stops tracing', async () => {
    startTracing({ serviceName: 's', serviceVersion: '1', env: {} });
    const flusher = tracingFlusher(1000);
    expect(flusher.name).toBe('telemetry-traces');
    await flusher.flush();
    expect(getTracing()).toBeUndefined();
  });

  it('derives the OTLP traces URL from the standard variables', () => {
    expect(otlpTracesUrlFromEnv({})).toBeUndefined();
    expect(
      otlpTracesUrlFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toBe('http://c:4318/v1/traces');
    expect(
      otlpTracesUrlFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }),
    ).toBe('http://c:4318/v1/traces');
    expect(
      otlpTracesUrlFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/x',
      }),
    ).toBe('http://t/x');
    expect(
      otlpTracesUrlFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_TRACES_EXPORTER: 'none',
      }),
    ).toBeUndefined();
    expect(
      otlpTracesUrlFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_SDK_DISABLED: 'true',
      }),
    ).toBeUndefined();
  });
});

describe('OTLP/HTTP export', () => {
  it('exports spans to the collector named by OTEL_EXPORTER_OTLP_ENDPOINT and flushes them at shutdown', async () => {
    const received: {
      path: string | undefined;
      headers: IncomingMessage['headers'];
      body: string;
    }[] = [];
    const url = await listen(
      createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (body += c));
        req.on('end', () => {
          received.push({ path: req.url, headers: req.headers, body });
          res.setHeader('content-type', 'application/json');
          res.end('{}');
        });
      }),
    );
    const tracing = startTracing({
      serviceName: 'billing',
      serviceVersion: '3.1.4',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: url,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=kenos',
        OTEL_BSP_SCHEDULE_DELAY: '60000',
      },
      logger: quietLogger(),
    });
    expect(tracing.exporting).toBe(true);
    expect(tracing.otlpTracesUrl).toBe(`${url}/v1/traces`);
    for (let i = 0; i < 3; i++)
      withSpan({ name: `charge-${i}`, kind: 'consumer' }, () => undefined);
    expect(received).toHaveLength(0); // batched, not sent per span
    await shutdownTracing();
    expect(received).toHaveLength(1);
    expect(received[0]?.path).toBe('/v1/traces');
    expect(received[0]?.headers['x-tenant']).toBe('kenos');
    const payload = JSON.parse(received[0]?.body ?? '{}') as {
      resourceSpans: {
        resource: {
          attributes: { key: string; value: { stringValue?: string } }[];
        };
        scopeSpans: { spans: { name: string }[] }[];
      }[];
    };
    const rs = payload.resourceSpans[0];
    expect(
      rs?.resource.attributes.find((a) => a.key === 'service.name')?.value
        .stringValue,
    ).toBe('billing');
    expect(
      rs?.scopeSpans.flatMap((s) => s.spans.map((sp) => sp.name)).sort(),
    ).toEqual(['charge-0', 'charge-1', 'charge-2']);
  });

  it('reports a dead collector through diagnostics without throwing or blocking shutdown', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const logger = quietLogger();
    const before = getTelemetryDiagnostics().exportFailures;
    const tracing = startTracing({
      serviceName: 's',
      serviceVersion: '1',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${deadPort}`,
        OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
        OTEL_BSP_SCHEDULE_DELAY: '10',
      },
      logger,
    });
    withSpan({ name: 'lost' }, () => undefined);
    await expect(tracing.forceFlush()).resolves.toBeUndefined();
    const t = performance.now();
    await expect(shutdownTracing(3000)).resolves.toBeUndefined();
    expect(performance.now() - t).toBeLessThan(5000);
    expect(getTelemetryDiagnostics().exportFailures).toBeGreaterThan(before);
    expect(
      logger.lines.some((l) => l.obj.code === 'KENOS_ERR_TELEMETRY_EXPORT'),
    ).toBe(true);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
