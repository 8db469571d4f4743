import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcStatusOf } from './support/rpc-status.js';
import {
  createGrpcClient,
  ECHO_PROTO_PATH,
  type LogLine,
  type ServiceProcess,
  startService,
  stopAllServices,
  unary,
} from '@kenos/testing';
import { writeRootedPackage } from './fixtures/rooted-package.js';

// The fixture's mapError turns a DomainError('name', 'name is taken') into a ValidationError, throws for
// an error whose message is 'map me badly', throws for any Kenos client error it is (wrongly) given,
// and returns everything else unchanged.
let svc: ServiceProcess;
let echo: grpc.Client;

beforeAll(async () => {
  svc = await startService(writeRootedPackage().entry, 'api', {
    readyTimeoutMs: 30_000,
  });
  echo = createGrpcClient({
    protoPath: ECHO_PROTO_PATH,
    service: 'kenos.testing.v1.EchoService',
    address: svc.grpcAddress(),
  });
});
afterAll(async () => {
  echo.close();
  await stopAllServices();
});

const get = async (path: string, requestId: string) => {
  const res = await fetch(svc.url(path), {
    headers: { 'x-request-id': requestId },
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  };
};
const call = (fields: { text: string; fail?: string }, requestId: string) => {
  const metadata = new grpc.Metadata();
  metadata.set('x-request-id', requestId);
  return unary(echo, 'Echo', fields, { metadata });
};
/** The error line of a mapError that threw, for the request or call with this id. */
const mapperLineOf =
  (requestId: string) =>
  (l: LogLine): boolean =>
    l.msg?.startsWith('mapError threw') === true &&
    l['request_id'] === requestId;
const mapErrorThrew = (requestId: string): boolean =>
  svc.lines.some(mapperLineOf(requestId));

describe('mapError over REST', () => {
  it.each([
    ['throws', '/fail/domain'],
    ['rejects', '/fail-async/domain'],
  ])(
    'turns a domain error a route %s with into a 400 problem+json with its field violations',
    async (_how, path) => {
      const { status, type, body } = await get(
        path,
        `map-rest${path.replaceAll('/', '-')}`,
      );
      expect(status).toBe(400);
      expect(type).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({
        status: 400,
        code: 'KENOS_ERR_SERVER_VALIDATION',
        detail: 'name is taken',
        errors: [{ field: 'name', description: 'name is taken' }],
        request_id: `map-rest${path.replaceAll('/', '-')}`,
      });
    },
  );

  it('leaves the errors it returns unchanged to the default mapping', async () => {
    const notFound = await get('/fail/not-found', 'map-rest-404');
    expect(notFound.status).toBe(404);
    expect(notFound.body['code']).toBe('KENOS_ERR_SERVER_NOT_FOUND');
    const crash = await get('/fail-async/crash', 'map-rest-crash');
    expect(crash.status).toBe(500);
    expect(crash.body['code']).toBe('KENOS_ERR_SERVER_INTERNAL');
    const line = await svc.waitForLine(
      (l) =>
        l.msg === 'unhandled error in http handler' &&
        l['request_id'] === 'map-rest-crash',
    );
    expect(JSON.stringify(line['err'])).toContain('plain crash');
  });

  it('answers 500 and logs the mapper error and the original when mapError itself throws', async () => {
    const { status, body } = await get(
      '/fail/mapper-throws',
      'map-rest-broken',
    );
    expect(status).toBe(500);
    expect(body['code']).toBe('KENOS_ERR_SERVER_INTERNAL');
    const mapperLine = await svc.waitForLine(mapperLineOf('map-rest-broken'));
    expect(mapperLine['level']).toBe('error');
    expect(JSON.stringify(mapperLine['err'])).toContain(
      'the mapper itself broke',
    );
    const original = await svc.waitForLine(
      (l) =>
        l.msg === 'unhandled error in http handler' &&
        l['request_id'] === 'map-rest-broken',
    );
    expect(JSON.stringify(original['err'])).toContain('map me badly');
  });

  it("is not called for Kenos's own client errors: a malformed path or JSON body", async () => {
    const path = await get('/fail/%ZZ', 'map-rest-path');
    expect(path.status).toBe(400);
    expect(path.body['code']).toBe('KENOS_ERR_SERVER_MALFORMED_PATH');
    const res = await fetch(svc.url('/items'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'map-rest-json',
      },
      body: '{"not json',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe(
      'KENOS_ERR_SERVER_MALFORMED_JSON',
    );
    await svc.waitForLine(
      (l) => l.msg === 'http request' && l['request_id'] === 'map-rest-json',
    );
    expect(mapErrorThrew('map-rest-path')).toBe(false);
    expect(mapErrorThrew('map-rest-json')).toBe(false);
  });
});

describe('mapError over gRPC', () => {
  it.each([
    ['throws', 'sync'],
    ['rejects', 'async'],
  ])(
    'turns a domain error a handler %s with into INVALID_ARGUMENT with field violations',
    async (_how, text) => {
      const { error } = await call(
        { text, fail: 'domain' },
        `map-grpc-${text}`,
      );
      expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error?.details).toBe('name is taken');
      expect(rpcStatusOf(error)).toEqual({
        code: grpc.status.INVALID_ARGUMENT,
        message: 'name is taken',
        details: [
          {
            typeUrl: 'type.googleapis.com/google.rpc.ErrorInfo',
            value: {
              reason: 'KENOS_ERR_SERVER_VALIDATION',
              domain: 'kenos.dev',
              metadata: {},
            },
          },
          {
            typeUrl: 'type.googleapis.com/google.rpc.BadRequest',
            value: {
              fieldViolations: [
                { field: 'name', description: 'name is taken' },
              ],
            },
          },
        ],
      });
    },
  );

  it('leaves the errors it returns unchanged to the default mapping', async () => {
    const validation = await call(
      { text: 'x', fail: 'validation' },
      'map-grpc-validation',
    );
    expect(validation.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(validation.error?.details).toBe('text is invalid');
    const crash = await call({ text: 'x', fail: 'crash' }, 'map-grpc-crash');
    expect(crash.error?.code).toBe(grpc.status.INTERNAL);
    expect(crash.error?.details).not.toContain('plain crash');
    const line = await svc.waitForLine(
      (l) => l.msg === 'grpc call' && l['request_id'] === 'map-grpc-crash',
    );
    expect(JSON.stringify(line['err'])).toContain('plain crash');
  });

  it('answers INTERNAL and logs the mapper error and the original when mapError itself throws', async () => {
    const { error } = await call(
      { text: 'x', fail: 'mapper-throws' },
      'map-grpc-broken',
    );
    expect(error?.code).toBe(grpc.status.INTERNAL);
    expect(error?.details).toBe('internal error (request id map-grpc-broken)');
    const mapperLine = await svc.waitForLine(mapperLineOf('map-grpc-broken'));
    expect(mapperLine['level']).toBe('error');
    expect(JSON.stringify(mapperLine['err'])).toContain(
      'the mapper itself broke',
    );
    const access = await svc.waitForLine(
      (l) => l.msg === 'grpc call' && l['request_id'] === 'map-grpc-broken',
    );
    expect(access['rpc']).toMatchObject({ status: 'INTERNAL', code: 13 });
    expect(JSON.stringify(access['err'])).toContain('map me badly');
  });
});
