// @kenos/clients' gRPC client: a gRPC handler that makes one downstream call through it, against the same
// handler with a bare @grpc/grpc-js client (deadline passed on by hand). Three processes per side: the
// grpc-js load client, the front server and the downstream greeter (a bare grpc-js server).
import { grpcCallsPerSecond } from '../src/grpc-load.mjs';
import {
  serverWarmUpMs,
  startPinnedNode,
  stopChild,
} from '../src/processes.mjs';
import { serverScript } from '../src/rest-cases.mjs';

const LISTENING = /listening on (\d+)/;

/** A side: the downstream greeter, then the front server calling it with `client` (`bare` or `kenos`). */
function frontSide(name, client) {
  return {
    name,
    setup: async ({ mode } = {}) => {
      const down = await startPinnedNode(
        serverScript('bare-grpc.mjs'),
        [],
        { GRPC_PORT: '0' },
        LISTENING,
      );
      let front;
      try {
        front = await startPinnedNode(
          serverScript('grpc-downstream-front.mjs'),
          [],
          {
            GRPC_PORT: '0',
            CLIENT: client,
            DOWNSTREAM: `127.0.0.1:${down.match[1]}`,
          },
          LISTENING,
        );
      } catch (err) {
        await stopChild(down.child);
        throw err;
      }
      const state = {
        down: down.child,
        front: front.child,
        target: `127.0.0.1:${front.match[1]}`,
      };
      await grpcCallsPerSecond(state.target, serverWarmUpMs(mode));
      return state;
    },
    measure: (state, { durationMs }) =>
      grpcCallsPerSecond(state.target, durationMs),
    teardown: async (state) => {
      if (!state) return;
      await stopChild(state.front);
      await stopChild(state.down);
    },
  };
}

export default {
  name: 'grpc-client',
  cases: [
    {
      name: 'gRPC handler with one downstream call (grpc-js client load)',
      unit: 'calls/s',
      target: { min: 0.85 },
      anchor: frontSide('bare @grpc/grpc-js client', 'bare'),
      subject: frontSide(
        '@kenos/clients createGrpcClient (scope, span, metrics)',
        'kenos',
      ),
    },
  ],
};
