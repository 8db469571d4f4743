import * as grpc from '@grpc/grpc-js';
import type { ResolvedGrpcClientOptions } from './grpc-client-options.js';

/** A grpc-js client (one channel: its connections, resolver and retry budget) shared by Kenos clients. */
interface SharedChannel {
  readonly client: grpc.Client;
  refs: number;
}

/** One channel per (target, credentials object, channel options) in the process. */
const channels = new Map<string, SharedChannel>();
const credentialIds = new WeakMap<grpc.ChannelCredentials, number>();
let nextCredentialId = 0;

function keyOf(target: string, options: ResolvedGrpcClientOptions): string {
  let id = credentialIds.get(options.credentials);
  if (id === undefined) {
    id = nextCredentialId++;
    credentialIds.set(options.credentials, id);
  }
  const channelOptions = Object.entries(options.channelOptions).sort(
    ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
  );
  return JSON.stringify([target, id, channelOptions]);
}

/** A lease on the shared channel to `target`: `client` to call through, `release()` once (closes the channel when it was the last). */
export interface ChannelLease {
  readonly client: grpc.Client;
  release(): void;
}

/** Takes the channel to `target` with these options, opening it (lazily connecting) when none is open. */
export function leaseChannel(
  target: string,
  options: ResolvedGrpcClientOptions,
): ChannelLease {
  const key = keyOf(target, options);
  let shared = channels.get(key);
  if (!shared) {
    shared = {
      client: new grpc.Client(
        target,
        options.credentials,
        options.channelOptions,
      ),
      refs: 0,
    };
    channels.set(key, shared);
  }
  shared.refs++;
  const taken = shared;
  let released = false;
  return {
    client: taken.client,
    release() {
      if (released) return;
      released = true;
      if (--taken.refs > 0) return;
      if (channels.get(key) === taken) channels.delete(key);
      taken.client.close();
    },
  };
}
