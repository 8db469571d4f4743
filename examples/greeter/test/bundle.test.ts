import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGrpcClient,
  listGrpcServices,
  spawnService,
  startService,
  stopAllServices,
  unary,
  type ServiceProcess,
} from '@kenos/testing';
import { BUNDLE_EXTERNAL } from '@kenos/cli';

// The production entry point, what the image runs: dist/main.bundle.mjs, the service and the Kenos
// packages in one file, written by `npm run build` (`kenos bundle`).
const bundlePath = fileURLToPath(
  new URL('../dist/main.bundle.mjs', import.meta.url),
);
const entry = bundlePath;
const proto = fileURLToPath(
  new URL('../proto/kenos/example/greeter/v1/greeter.proto', import.meta.url),
);
const require = createRequire(import.meta.url);
const versionOf = (file: string): string =>
  (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
const kenosVersion = versionOf(require.resolve('@kenos/server/package.json'));
const serviceVersion = versionOf(
  fileURLToPath(new URL('../package.json', import.meta.url)),
);

afterAll(() => stopAllServices());

describe('the greeter bundle (dist/main.bundle.mjs)', () => {
  let svc: ServiceProcess;
  let client: grpc.Client;
  beforeAll(async () => {
    svc = await startService(entry, 'api');
    client = createGrpcClient({
      protoPath: proto,
      service: 'kenos.example.greeter.v1.GreeterService',
      address: svc.grpcAddress(),
    });
  });
  afterAll(async () => {
    client.close();
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(0);
  });

  it('serves REST and gRPC greetings, with the config and .proto found next to dist/', async () => {
    const res = await fetch(
      `http://127.0.0.1:${svc.ports.http}/v1/greetings/Bundle`,
    );
    expect(await res.json()).toEqual({ message: 'Hello, Bundle!' });
    const { response } = await unary<{ message: string }>(client, 'SayHello', {
      name: 'Grace',
    });
    expect(response).toEqual({ message: 'Hello, Grace!' });
    // greeter.apiToken: decrypted from config/development.secrets.yaml with the development key
    const starting = await svc.waitForLine((l) => l.msg === 'starting');
    expect(
      (starting['config'] as { greeter: { apiToken: string } }).greeter
        .apiToken,
    ).toMatch(/^\[/);
  });

  it('lists the greeter service through reflection and answers health checks (packages kept external)', async () => {
    expect(await listGrpcServices(svc.grpcAddress())).toContain(
      'kenos.example.greeter.v1.GreeterService',
    );
  });

  it('reports the service version of its package.json and the Kenos SDK version it was built with', async () => {
    const metrics = await (
      await fetch(`http://127.0.0.1:${svc.ports.admin}/metrics`)
    ).text();
    expect(metrics).toContain(
      `kenos_build_info{service="greeter",version="${serviceVersion}",kenos_version="${kenosVersion}"} 1`,
    );
    expect(readFileSync(bundlePath, 'utf8')).not.toContain(
      '__KENOS_SDK_VERSION__',
    );
  });

  it('runs with the early tracing hook (--import @kenos/telemetry/register) and continues an incoming trace', async () => {
    const traced = await startService(entry, 'api', {
      env: { NODE_OPTIONS: '--import @kenos/telemetry/register' },
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const res = await fetch(
        `http://127.0.0.1:${traced.ports.http}/v1/greetings/Traced`,
        {
          headers: {
            traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
            'x-request-id': 'bundle-trace-1',
          },
        },
      );
      expect(res.status).toBe(200);
      const access = await traced.waitForLine(
        (l) => l.msg === 'http request' && l['request_id'] === 'bundle-trace-1',
      );
      expect(access['trace_id']).toBe(traceId);
    } finally {
      traced.kill('SIGTERM');
      expect((await traced.exited).code).toBe(0);
    }
  });

  it('runs a batch to completion with exit code 0', async () => {
    const batch = spawnService(entry, 'batch:daily-report');
    expect((await batch.exited).code).toBe(0);
  });
});

describe('the greeter bundle file', () => {
  it('imports nothing at run time but Node built-ins and the packages kenos bundle keeps external', () => {
    const code = readFileSync(bundlePath, 'utf8');
    const specifiers = new Set<string>();
    // rolldown writes static imports at the start of a line, dynamic ones as import("…") and requires of what it
    // did not inline as __require("…"), always with double quotes (JSDoc types in the inlined code use single ones)
    for (const m of code.matchAll(/^import\s[^;\n]*?"([^"]+)";?$/gm))
      specifiers.add(m[1]!);
    for (const m of code.matchAll(/\b(?:import|__require)\(\s*"([^"]+)"\s*\)/g))
      specifiers.add(m[1]!);
    const builtins = new Set(builtinModules.flatMap((b) => [b, `node:${b}`]));
    const unexpected = [...specifiers].filter(
      (s) => !builtins.has(s) && !BUNDLE_EXTERNAL.some((re) => re.test(s)),
    );
    expect(unexpected).toEqual([]);
    // express, pino, prom-client and the @kenos packages are inside
    expect(specifiers.has('express')).toBe(false);
    expect([...specifiers].some((s) => s.startsWith('@kenos/'))).toBe(false);
    expect([...specifiers].some((s) => s.startsWith('node:'))).toBe(true);
  });
});
