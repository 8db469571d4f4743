import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { API_LATENCY_BUCKETS } from '../src/index.js';
import { LabeledHistogram } from '../src/labeled-histogram.js';

const LABELS = [
  'http_request_method',
  'http_route',
  'http_response_status_code',
] as const;

/** The same observations into a prom-client Histogram and a LabeledHistogram, each on its own registry. */
function both(defaultLabels: Record<string, string> = {}) {
  const theirs = new Registry();
  const ours = new Registry();
  theirs.setDefaultLabels(defaultLabels);
  ours.setDefaultLabels(defaultLabels);
  const reference = new Histogram({
    name: 'h_seconds',
    help: 'Help with "quotes" and \\ backslash',
    labelNames: [...LABELS],
    buckets: [...API_LATENCY_BUCKETS],
    registers: [theirs],
  });
  const fast = new LabeledHistogram({
    name: 'h_seconds',
    help: 'Help with "quotes" and \\ backslash',
    labelNames: LABELS,
    buckets: API_LATENCY_BUCKETS,
    registers: [ours],
  });
  const observe = (values: [string, string, string], v: number): void => {
    reference.observe(
      {
        http_request_method: values[0],
        http_route: values[1],
        http_response_status_code: values[2],
      },
      v,
    );
    fast.observe(values, v);
  };
  return { theirs, ours, observe, fast };
}

describe('LabeledHistogram', () => {
  it('renders exactly as a prom-client Histogram with the same observations, bucket edges and label escaping included', async () => {
    const { theirs, ours, observe } = both({ service: 'shop' });
    const routes = ['/items', '/items/:id', '(unmatched)', '/quote/"x"\\y\nz'];
    const values = [
      0,
      0.005,
      0.0051,
      0.1,
      0.25,
      3,
      120,
      1e-9,
      ...API_LATENCY_BUCKETS,
    ];
    let i = 0;
    for (const route of routes)
      for (const status of ['200', '404', '500'])
        for (const v of values)
          observe([i++ % 2 ? 'GET' : 'POST', route, status], v * (1 + (i % 3)));
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // the JSON form too, field for field (prom-client adds an `exemplar: null` we do not keep)
    const essentials = async (r: Registry) =>
      (await r.getMetricsAsJSON()).map((m) => ({
        ...m,
        values: m.values.map((v) => ({
          labels: v.labels,
          value: v.value,
          metricName: (v as { metricName?: string }).metricName,
        })),
      }));
    expect(await essentials(ours)).toEqual(await essentials(theirs));
  });

  it('keeps apart series whose label values would run together if joined', async () => {
    const { theirs, ours, observe } = both();
    observe(['GET', '/a\u0000200', '500'], 0.01);
    observe(['GET', '/a', '200\u0000500'], 0.02);
    observe(['GET\u0000/a', '200', '500'], 0.03);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect((await ours.metrics()).match(/^h_seconds_count/gm)).toHaveLength(3);
  });

  it.each([[['rpc_method']], [[]]])(
    'renders as prom-client with label names %j',
    async (labelNames: string[]) => {
      const theirs = new Registry();
      const ours = new Registry();
      const reference = new Histogram({
        name: 'h_seconds',
        help: 'h',
        labelNames,
        buckets: [0.1, 1],
        registers: [theirs],
      });
      const fast = new LabeledHistogram({
        name: 'h_seconds',
        help: 'h',
        labelNames,
        buckets: [0.1, 1],
        registers: [ours],
      });
      for (const [value, v] of [
        ['A', 0.05],
        ['B', 0.5],
        ['A', 5],
      ] as const) {
        reference.observe(
          labelNames.length ? { [labelNames[0]!]: value } : {},
          v,
        );
        fast.observe(labelNames.length ? [value] : [], v);
      }
      expect(await ours.metrics()).toBe(await theirs.metrics());
    },
  );

  it('ignores non-finite values instead of throwing from a request path', async () => {
    const { ours, fast } = both();
    fast.observe(['GET', '/a', '200'], Number.NaN);
    fast.observe(['GET', '/a', '200'], Number.POSITIVE_INFINITY);
    expect(await ours.metrics()).not.toContain('h_seconds_count');
  });

  it('forgets every series on registry.resetMetrics()', async () => {
    const { ours, observe } = both();
    observe(['GET', '/a', '200'], 0.01);
    expect(await ours.metrics()).toContain(
      'h_seconds_count{http_request_method="GET",http_route="/a",http_response_status_code="200"} 1',
    );
    ours.resetMetrics();
    expect(await ours.metrics()).not.toContain('h_seconds_count');
  });
});
