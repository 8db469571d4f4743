import { PROTO_LOADER_OPTIONS } from '@kenos/testing';
import { describe, expect, it } from 'vitest';
import { GRPC_PROTO_LOADER_OPTIONS } from '../src/index.js';

describe('GRPC_PROTO_LOADER_OPTIONS', () => {
  it('is the frozen proto-loader options object of the test kit, so a caller cannot change how the server decodes', () => {
    expect(GRPC_PROTO_LOADER_OPTIONS).toBe(PROTO_LOADER_OPTIONS);
    expect(Object.isFrozen(GRPC_PROTO_LOADER_OPTIONS)).toBe(true);
    expect(() => {
      (GRPC_PROTO_LOADER_OPTIONS as { longs?: unknown }).longs = Number;
    }).toThrow(TypeError);
    expect(GRPC_PROTO_LOADER_OPTIONS).toEqual({
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
  });
});
