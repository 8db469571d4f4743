#!/usr/bin/env node
// Benchmark of @kenos/logger against raw pino, side by side in one process, interleaved
// (raw, kenos, kenos, raw, …) so that noise from other processes hits both sides alike.
// Prints the median of the per-round ratios kenos/raw (lines per second) against the targets.
//
//   node packages/logger/bench/logger.bench.mjs [--rounds 7] [--ms 500] [--unbuffered]
//
// Both sides write to the same kind of destination: a synchronous sonic-boom on /dev/null that
// batches 4 KiB per write(2), i.e. Kenos's production destination (--unbuffered: one write per
// line). Rates are lines per CPU second of this process (user + system, so the write(2) calls
// count): the work is synchronous and single-threaded, and CPU time is far less disturbed than
// wall time by other processes on a shared machine. Needs a build of the package (dist/).
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createLogger, registerSecretValue, runWithLogContext, getLogger } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    ms: { type: 'string', default: '500' },
    unbuffered: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const durationMs = Number(values.ms);
const minLength = values.unbuffered ? 0 : 4096;

function nullDestination() {
  return pino.destination({ dest: '/dev/null', sync: true, minLength });
}

function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Lines per CPU second of `logOnce`, run for `ms` milliseconds of CPU time. */
function linesPerSecond(logOnce, ms) {
  const batch = 2000;
  let lines = 0;
  const start = cpuMs();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) logOnce();
    lines += batch;
    now = cpuMs();
  }
  return (lines * 1000) / (now - start);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const standard = { order_id: 'o-12345', user_id: 'u-42', route: '/orders/:id', status: 200, duration_ms: 12.5 };
const withCredentials = {
  order_id: 'o-12345',
  user_id: 'u-42',
  route: '/orders/:id',
  status: 200,
  headers: { authorization: 'Bearer abc.def.ghi', accept: 'application/json' },
};

const raw = pino(nullDestination());
const kenos = createLogger({ service: 'bench', version: '1.0.0', env: 'production', component: 'api', destination: nullDestination() });

const cases = [
  {
    name: 'standard info line, 5 fields',
    target: 0.85,
    raw: () => raw.info(standard, 'request handled'),
    kenos: () => kenos.info(standard, 'request handled'),
  },
  {
    name: 'inside a request scope with an active span',
    target: 0.75,
    setup() {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    },
    wrap(run) {
      const span = trace.wrapSpanContext({
        traceId: randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
        traceFlags: TraceFlags.SAMPLED,
      });
      return context.with(trace.setSpan(context.active(), span), () =>
        runWithLogContext({ request_id: 'req-1' }, run),
      );
    },
    raw: () => raw.info(standard, 'request handled'),
    kenos: () => getLogger().info(standard, 'request handled'),
    teardown() {
      context.disable();
    },
  },
  {
    // The cost of the case-insensitive any-depth key walk alone (before any secret is registered).
    name: 'path redaction only, no registered secret (raw pino: no redaction)',
    target: 0.6,
    raw: () => raw.info(withCredentials, 'request handled'),
    kenos: () => kenos.info(withCredentials, 'request handled'),
  },
  {
    // Last: registered secrets cannot be unregistered and would weigh on the other cases.
    name: 'path redaction + 20 registered secret values (raw pino: no redaction)',
    target: 0.6,
    setup() {
      for (let i = 0; i < 20; i++) registerSecretValue(randomBytes(18).toString('base64url'));
    },
    raw: () => raw.info(withCredentials, 'request handled'),
    kenos: () => kenos.info(withCredentials, 'request handled'),
  },
];

console.log(
  `@kenos/logger vs raw pino: ${rounds} interleaved rounds of ${durationMs} ms per side, ${values.unbuffered ? 'unbuffered' : '4 KiB-batched'} sync sonic-boom on /dev/null, lines per CPU second, node ${process.version}`,
);
const results = [];
for (const c of cases) {
  c.setup?.();
  const wrap = c.wrap ?? ((run) => run());
  // Warm-up: both sides, untimed.
  wrap(() => {
    linesPerSecond(c.raw, 200);
    linesPerSecond(c.kenos, 200);
  });
  const ratios = [];
  const rawRates = [];
  const kenosRates = [];
  for (let r = 0; r < rounds; r++) {
    wrap(() => {
      let rawRate;
      let kenosRate;
      if (r % 2 === 0) {
        rawRate = linesPerSecond(c.raw, durationMs);
        kenosRate = linesPerSecond(c.kenos, durationMs);
      } else {
        kenosRate = linesPerSecond(c.kenos, durationMs);
        rawRate = linesPerSecond(c.raw, durationMs);
      }
      rawRates.push(rawRate);
      kenosRates.push(kenosRate);
      ratios.push(kenosRate / rawRate);
    });
  }
  c.teardown?.();
  const ratio = median(ratios);
  const result = {
    case: c.name,
    rawLinesPerSecond: Math.round(median(rawRates)),
    kenosLinesPerSecond: Math.round(median(kenosRates)),
    ratio,
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    target: c.target,
    verdict: ratio >= c.target ? 'ok' : 'below target',
  };
  results.push(result);
  console.log(
    `  ${c.name}: raw ${result.rawLinesPerSecond} lines/s, kenos ${result.kenosLinesPerSecond} lines/s, ratio ${ratio.toFixed(2)}× (${result.min.toFixed(2)}–${result.max.toFixed(2)}), target ≥ ${c.target}× → ${result.verdict}`,
  );
}
console.log(JSON.stringify({ bench: '@kenos/logger', rounds, durationMs, unbuffered: values.unbuffered, results }));
