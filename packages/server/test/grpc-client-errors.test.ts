import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcStatusOf } from './support/rpc-status.js';
import {
  type ServiceProcess,
  startService,
  stopAllServices,
} from '@kenos/testing';

// A request message that cannot be decoded is the caller's fault: INVALID_ARGUMENT, with an access-log line and a
// RED metric like any other call, not grpc-js's INTERNAL "Error deserializing request" that Kenos never saw (issue #16).

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
const ECHO = '/kenos.testing.v1.EchoService/Echo';
let svc: ServiceProcess;
let client: grpc.Client;

beforeAll(async () => {
  svc = await startService(fixture, 'api', { readyTimeoutMs: 30_000 });
  client = new grpc.Client(
    `127.0.0.1:${svc.ports.grpc}`,
    grpc.credentials.createInsecure(),
  );
});
afterAll(async () => {
  client.close();
  svc.kill('SIGTERM');
  await svc.exited;
  await stopAllServices();
});

/** One unary call whose request is sent as the given bytes, as they are (identity serializer). */
function rawCall(
  bytes: Buffer,
  requestId: string,
): Promise<{ error: grpc.ServiceError | null; response?: Buffer }> {
  const identity = (b: Buffer): Buffer => b;
  const md = new grpc.Metadata();
  md.set('x-request-id', requestId);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      ECHO,
      identity,
      identity,
      bytes,
      md,
      { deadline: Date.now() + 10_000 },
      (error, response) => resolve({ error, response }),
    );
  });
}

describe('gRPC client errors', () => {
  it('answers a request message that cannot be decoded with INVALID_ARGUMENT, not INTERNAL', async () => {
    const { error } = await rawCall(
      Buffer.from([0xff, 0xff, 0xff]),
      'undecodable-1',
    );
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(
      /^the request is not a valid kenos\.testing\.v1\.EchoService\/Echo message/,
    );
    expect(rpcStatusOf(error).details[0]?.value).toEqual({
      reason: 'KENOS_ERR_SERVER_MALFORMED_MESSAGE',
      domain: 'kenos.dev',
      metadata: {},
    });
    expect(error?.metadata.get('x-request-id')).toEqual(['undecodable-1']);
  });

  it('writes the access-log line of an undecodable call at info, and why it was refused without a stack', async () => {
    await rawCall(Buffer.from([0x08]), 'undecodable-2'); // a field tag with no value
    const access = await svc.waitForLine(
      (l) => l.msg === 'grpc call' && l['request_id'] === 'undecodable-2',
    );
    expect(access).toMatchObject({
      level: 'info',
      rpc: {
        service: 'kenos.testing.v1.EchoService',
        method: 'Echo',
        status: 'INVALID_ARGUMENT',
        code: 3,
      },
    });
    expect(access['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    const refused = await svc.waitForLine(
      (l) =>
        l.msg === 'grpc call refused' && l['request_id'] === 'undecodable-2',
    );
    expect(refused).toMatchObject({
      level: 'info',
      code: 'KENOS_ERR_SERVER_MALFORMED_MESSAGE',
    });
    expect(JSON.stringify(refused)).not.toMatch(/stack|node_modules/);
  });

  it('counts undecodable calls in the RED metric with code 3', async () => {
    await rawCall(Buffer.from([0xff, 0xff, 0xff]), 'undecodable-3');
    await svc.waitForLine(
      (l) => l.msg === 'grpc call' && l['request_id'] === 'undecodable-3',
    );
    const text = await (
      await fetch(`http://127.0.0.1:${svc.ports.admin}/metrics`)
    ).text();
    expect(text).toMatch(
      /rpc_server_call_duration_seconds_count\{[^}]*rpc_service="kenos\.testing\.v1\.EchoService"[^}]*rpc_method="Echo"[^}]*rpc_grpc_status_code="3"[^}]*\} [2-9]/,
    );
    expect(text).not.toMatch(/rpc_grpc_status_code="13"/);
  });

  it('still serves a valid message sent as raw bytes', async () => {
    const { error, response } = await rawCall(
      Buffer.from([0x0a, 0x02, 0x68, 0x69]),
      'raw-ok-1',
    ); // { text: "hi" }
    expect(error).toBeNull();
    expect(response?.subarray(0, 4)).toEqual(
      Buffer.from([0x0a, 0x02, 0x68, 0x69]),
    );
    expect(svc.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
