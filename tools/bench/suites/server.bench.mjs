// @kenos/server: the greeter's hello route and SayHello through the full standard middleware
// and interceptors, against bare express 5, bare @grpc/grpc-js and hand-assembled stacks;
// startup to ready and RSS against a bare express + lightship app.
import {
  greeterGrpcSide,
  greeterMain,
  greeterRestSide,
  startupToReady,
} from '../src/greeter.mjs';
import { grpcServerSide, h2loadCallsPerSecond } from '../src/grpc-load.mjs';
import {
  bareExpressSide,
  restHelloCase,
  serverScript,
  serverScriptSide,
} from '../src/rest-cases.mjs';

const expressLightship = serverScript('express-lightship.mjs');

/** A cost side: repeated cold starts within the round's duration (at least one). */
function startupSide(name, args, pick) {
  return {
    name,
    measure: async (_state, { durationMs }) => {
      const samples = [];
      const end = performance.now() + durationMs;
      do samples.push(pick(await startupToReady(args)));
      while (performance.now() < end);
      return samples.reduce((a, b) => a + b, 0) / samples.length;
    },
  };
}

export default {
  name: 'server',
  cases: [
    restHelloCase('REST hello, full standard middleware', {
      target: { min: 0.8 },
      subject: greeterRestSide(),
      context: [
        serverScriptSide('bare node:http', 'bare-http.mjs'),
        serverScriptSide('fastify 5 + logger', 'fastify-logger.mjs'),
        serverScriptSide(
          'bare express 5 + one raw pino access-log line',
          'express-access-log.mjs',
        ),
      ],
    }),
    // an A/A check: two processes of the same app. Its spread is the noise of this run: ratios of the
    // other cases that differ from their target by less than it are not resolved by the run
    restHelloCase(
      'A/A check: bare express 5 against a second process of itself',
      {
        subject: bareExpressSide('bare express 5, second process'),
      },
    ),
    restHelloCase('REST hello vs the same stack by hand', {
      target: { min: 1.0 },
      anchor: serverScriptSide(
        'express + pino-http + prom-client',
        'express-by-hand.mjs',
      ),
      subject: greeterRestSide(),
    }),
    {
      name: 'gRPC unary hello, all interceptors (grpc-js client load)',
      unit: 'calls/s',
      target: { min: 0.8 },
      anchor: grpcServerSide('bare @grpc/grpc-js', [
        serverScript('bare-grpc.mjs'),
      ]),
      subject: greeterGrpcSide(),
      context: [
        grpcServerSide('bare @grpc/grpc-js + one raw pino access-log line', [
          serverScript('grpc-access-log.mjs'),
        ]),
      ],
    },
    {
      name: 'gRPC unary hello, all interceptors (h2load: server capacity)',
      unit: 'calls/s',
      target: { min: 0.8 },
      anchor: grpcServerSide(
        'bare @grpc/grpc-js',
        [serverScript('bare-grpc.mjs')],
        {},
        /listening on (\d+)/,
        h2loadCallsPerSecond,
      ),
      subject: greeterGrpcSide(undefined, h2loadCallsPerSecond),
      context: [
        grpcServerSide(
          'bare @grpc/grpc-js + one raw pino access-log line',
          [serverScript('grpc-access-log.mjs')],
          {},
          /listening on (\d+)/,
          h2loadCallsPerSecond,
        ),
      ],
    },
    {
      name: 'startup: process start to /ready = 200',
      unit: 'ms',
      better: 'lower',
      target: { max: 1.2 },
      anchor: startupSide(
        'express + lightship',
        [expressLightship],
        (r) => r.ms,
      ),
      subject: startupSide('greeter api', [greeterMain, 'api'], (r) => r.ms),
    },
    {
      name: 'resident memory after startup',
      unit: 'MiB',
      better: 'lower',
      target: { max: 1.3 },
      anchor: startupSide(
        'express + lightship',
        [expressLightship],
        (r) => r.rss,
      ),
      subject: startupSide('greeter api', [greeterMain, 'api'], (r) => r.rss),
    },
  ],
};
