import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGrpcClient,
  ECHO_PROTO_PATH,
  grpcHealthCheck,
  listGrpcServices,
  PROTO_LOADER_OPTIONS,
  startService,
  stopAllServices,
  unary,
  type ServiceProcess,
} from '../src/index.js';

const protoPath = ECHO_PROTO_PATH;
const service = 'kenos.testing.v1.EchoService';

describe('gRPC helpers', () => {
  let svc: ServiceProcess;
  let client: grpc.Client;
  beforeAll(async () => {
    svc = await startService(
      fileURLToPath(new URL('./fixtures/grpc-service.mjs', import.meta.url)),
      'api',
    );
    client = createGrpcClient({
      protoPath,
      service,
      address: svc.grpcAddress(),
    });
  });
  afterAll(async () => {
    client.close();
    await stopAllServices();
  });

  it('calls a unary method with metadata and resolves with the response', async () => {
    const result = await unary<{ text: string; header: string; count: string }>(
      client,
      'Echo',
      { text: 'hi', count: '5' },
      { metadata: { 'x-echo': 'from-test' } },
    );
    expect(result.error).toBeUndefined();
    expect(result.response).toEqual({
      text: 'hi',
      header: 'from-test',
      count: '5',
      requestId: '',
    });
    expect(result.metadata).toBeInstanceOf(grpc.Metadata);
  });

  it('resolves a failing call with the gRPC error instead of rejecting', async () => {
    const { response, error } = await unary(
      client,
      'echo',
      { text: '' },
      { deadlineMs: 2000 },
    );
    expect(response).toBeUndefined();
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toBe('text must not be empty');
  });

  it('throws KENOS_ERR_TESTING_GRPC_SERVICE for a service the proto does not declare or a method the client lacks', () => {
    expect(() =>
      createGrpcClient({
        protoPath,
        service: 'kenos.testing.v1.Missing',
        address: svc.grpcAddress(),
      }),
    ).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_TESTING_GRPC_SERVICE' }),
    );
    expect(() => unary(client, 'Missing', {})).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_TESTING_GRPC_SERVICE' }),
    );
  });

  it('reports the serving status of the server and of one service through grpc.health.v1', async () => {
    expect(await grpcHealthCheck(svc.grpcAddress())).toBe('SERVING');
    expect(await grpcHealthCheck(svc.grpcAddress(), service)).toBe(
      'NOT_SERVING',
    );
  });

  it('rejects a health check for a service the server does not know with NOT_FOUND', async () => {
    await expect(
      grpcHealthCheck(svc.grpcAddress(), 'no.such.Service'),
    ).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it('decodes with the frozen PROTO_LOADER_OPTIONS, which a caller cannot change', () => {
    expect(Object.isFrozen(PROTO_LOADER_OPTIONS)).toBe(true);
    expect(PROTO_LOADER_OPTIONS).toEqual({
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
  });

  it('lists the services of the server through gRPC server reflection', async () => {
    const services = await listGrpcServices(svc.grpcAddress());
    expect(services).toContain(service);
  });
});
