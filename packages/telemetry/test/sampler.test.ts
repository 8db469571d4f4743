import {
  ROOT_CONTEXT,
  SpanKind,
  TraceFlags,
  trace,
  type Context,
} from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { samplerFromEnv } from '../src/sampler.js';

const silent = { warn: () => undefined, error: () => undefined };
const hex = (bytes: number): string =>
  Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');
const TRACE_IDS = Array.from({ length: 2000 }, () => hex(16));
const withParent = (flags: number, isRemote: boolean): Context =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: hex(16),
    spanId: hex(8),
    traceFlags: flags,
    isRemote,
  });
const CONTEXTS = [
  ROOT_CONTEXT,
  withParent(TraceFlags.SAMPLED, true),
  withParent(TraceFlags.NONE, true),
  withParent(TraceFlags.SAMPLED, false),
  withParent(TraceFlags.NONE, false),
];

function decisions(sampler: Sampler): number[] {
  return CONTEXTS.flatMap((ctx) =>
    TRACE_IDS.map(
      (id) =>
        sampler.shouldSample(ctx, id, 'span', SpanKind.SERVER, {}, []).decision,
    ),
  );
}

describe('samplerFromEnv', () => {
  const cases: [string, Record<string, string>, Sampler][] = [
    [
      'the default (parentbased_always_on)',
      {},
      new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    ],
    ['always_on', { OTEL_TRACES_SAMPLER: 'always_on' }, new AlwaysOnSampler()],
    [
      'always_off',
      { OTEL_TRACES_SAMPLER: 'always_off' },
      new AlwaysOffSampler(),
    ],
    [
      'traceidratio 0.3',
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.3' },
      new TraceIdRatioBasedSampler(0.3),
    ],
    [
      'parentbased_always_off',
      { OTEL_TRACES_SAMPLER: 'parentbased_always_off' },
      new ParentBasedSampler({ root: new AlwaysOffSampler() }),
    ],
    [
      'parentbased_traceidratio 0.5',
      {
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.5',
      },
      new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.5) }),
    ],
  ];
  for (const [name, env, sdk] of cases) {
    it(`decides exactly as the SDK's sampler for ${name}, with and without (remote, local, sampled, unsampled) parents`, () => {
      expect(decisions(samplerFromEnv(env, silent))).toEqual(decisions(sdk));
    });
  }

  it('samples about the given ratio of root spans', () => {
    const sampled = decisions(
      samplerFromEnv(
        {
          OTEL_TRACES_SAMPLER: 'traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.25',
        },
        silent,
      ),
    )
      .slice(0, TRACE_IDS.length)
      .filter((d) => d !== 0).length;
    expect(sampled / TRACE_IDS.length).toBeGreaterThan(0.18);
    expect(sampled / TRACE_IDS.length).toBeLessThan(0.32);
  });

  it('warns and falls back to the default for an unknown name or an out-of-range ratio', () => {
    const warnings: unknown[] = [];
    const logger = {
      warn: (obj: unknown) => void warnings.push(obj),
      error: () => undefined,
    };
    expect(
      decisions(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' }, logger)),
    ).toEqual(
      decisions(new ParentBasedSampler({ root: new AlwaysOnSampler() })),
    );
    expect(
      decisions(
        samplerFromEnv(
          { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' },
          logger,
        ),
      ),
    ).toEqual(decisions(new AlwaysOnSampler()));
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'KENOS_ERR_TELEMETRY_OPTIONS',
        OTEL_TRACES_SAMPLER: 'sometimes',
      }),
      expect.objectContaining({
        code: 'KENOS_ERR_TELEMETRY_OPTIONS',
        OTEL_TRACES_SAMPLER_ARG: '7',
      }),
    ]);
  });
});
