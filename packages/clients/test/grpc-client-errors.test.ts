import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { NotFoundError, ServiceError, ValidationError } from '@kenos/server';
import {
  startService,
  stopAllServices,
  type ServiceProcess,
} from '@kenos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientsError,
  createGrpcClient,
  type GrpcClient,
} from '../src/index.js';
import { EchoService } from './support/echo-server.js';

const fixture = fileURLToPath(
  new URL('./fixtures/kenos-echo-service.mjs', import.meta.url),
);
let svc: ServiceProcess;
let client: GrpcClient<typeof EchoService.service>;

beforeAll(async () => {
  svc = await startService(fixture, 'api', { readyTimeoutMs: 30_000 });
  client = createGrpcClient(EchoService, svc.grpcAddress());
});
afterAll(async () => {
  client?.close();
  await stopAllServices();
});

describe('gRPC client errors from a Kenos service', () => {
  it('rejects with the ValidationError the service threw, with its field violations', async () => {
    const call = client.echo({ text: '', fail: 'validation' });
    await expect(call).rejects.toBeInstanceOf(ValidationError);
    const err = (await call.catch((e: unknown) => e)) as ValidationError;
    expect(err.code).toBe('KENOS_ERR_SERVER_VALIDATION');
    expect(err.message).toBe('the greeting is invalid');
    expect(err.violations).toEqual([
      { field: 'text', description: 'must not be empty' },
      { field: 'count', description: 'must be positive' },
    ]);
    // as the HTTP client's: the cause is the ClientsError with the status, its cause grpc-js' error
    const cause = err.cause as ClientsError;
    expect(cause).toBeInstanceOf(ClientsError);
    expect(cause.code).toBe('KENOS_ERR_CLIENTS_GRPC_STATUS');
    expect(cause.status).toBe(grpc.status.INVALID_ARGUMENT);
    expect((cause.cause as grpc.ServiceError).code).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
  });

  it('rejects with the NotFoundError the service threw, with its code', async () => {
    const call = client.echo({ text: 'x', fail: 'not-found' });
    await expect(call).rejects.toBeInstanceOf(NotFoundError);
    await expect(call).rejects.toMatchObject({
      code: 'KENOS_ERR_SERVER_NOT_FOUND',
      message: 'no greeting 42',
      grpcCode: grpc.status.NOT_FOUND,
    });
  });

  it("rejects with a ServiceError carrying a service's own code and status", async () => {
    const call = client.echo({ text: 'x', fail: 'own-code' });
    await expect(call).rejects.toBeInstanceOf(ServiceError);
    await expect(call).rejects.toMatchObject({
      code: 'KENOS_ERR_SHOP_OUT_OF_STOCK',
      grpcCode: grpc.status.FAILED_PRECONDITION,
      httpStatus: 400,
      message: 'out of stock',
    });
  });

  it('rejects an INTERNAL answer with KENOS_ERR_CLIENTS_GRPC_STATUS and no internals', async () => {
    const call = client.echo({ text: 'x', fail: 'crash' });
    await expect(call).rejects.toBeInstanceOf(ClientsError);
    const err = (await call.catch((e: unknown) => e)) as ClientsError;
    expect(err.code).toBe('KENOS_ERR_CLIENTS_GRPC_STATUS');
    expect(err.status).toBe(grpc.status.INTERNAL);
    expect(err.message).toMatch(
      /^kenos\.testing\.v1\.EchoService\/Echo failed with INTERNAL: internal error \(request id /,
    );
    expect(err.message).not.toContain('secret');
  });

  it('answers a call that succeeds with the response message', async () => {
    await expect(client.echo({ text: 'fine' })).resolves.toMatchObject({
      text: 'fine',
    });
  });
});
