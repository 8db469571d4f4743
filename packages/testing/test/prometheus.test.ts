import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllProcesses } from '../src/process/index.js';
import {
  queriesWithoutData,
  startPrometheus,
  TestingError,
  type Prometheus,
} from '../src/prometheus/index.js';

const METRICS = `# HELP kenos_fixture_value A value of the fixture.
# TYPE kenos_fixture_value gauge
kenos_fixture_value{kind="a"} 1
kenos_fixture_value{kind="b"} 2
`;

/** A real HTTP server on 127.0.0.1 serving a static /metrics text (and 404 elsewhere). */
async function metricsServer(): Promise<{ server: Server; address: string }> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics' && req.url !== '/custom/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(METRICS);
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return { server, address: `127.0.0.1:${port}` };
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let target: { server: Server; address: string };
let prom: Prometheus;

beforeAll(async () => {
  target = await metricsServer();
  prom = await startPrometheus({
    targets: [
      { job: 'fixture', address: target.address, labels: { pod: 'fixture-0' } },
      {
        job: 'custom-path',
        address: target.address,
        metricsPath: '/custom/metrics',
      },
    ],
  });
  await prom.waitForTargetsUp();
}, 60_000);

afterAll(async () => {
  await stopAllProcesses();
  await new Promise((resolve) => target.server.close(resolve));
});

describe('startPrometheus', () => {
  it('scrapes every target with its job, instance and extra labels, and answers queries', async () => {
    const series = await prom.waitForData('kenos_fixture_value{job="fixture"}');
    expect(series.map((s) => [s.metric['kind'], s.value[1]]).sort()).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(series[0]?.metric).toMatchObject({
      job: 'fixture',
      instance: target.address,
      pod: 'fixture-0',
    });
    expect(
      await prom.waitForData('sum(kenos_fixture_value{job="custom-path"})'),
    ).toEqual([{ metric: {}, value: [expect.any(Number), '3'] }]);
    expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers a scalar as one series without labels', async () => {
    expect(await prom.query('vector(1) * 2')).toEqual([
      { metric: {}, value: [expect.any(Number), '2'] },
    ]);
    expect(await prom.query('scalar(vector(5))')).toEqual([
      { metric: {}, value: [expect.any(Number), '5'] },
    ]);
  });

  it('lists the queries without data, in their order, whatever form they have', async () => {
    await prom.waitForData('kenos_fixture_value');
    expect(
      await queriesWithoutData(prom, [
        'kenos_fixture_value',
        'no_such_metric',
        'kenos_fixture_value{kind="c"}',
      ]),
    ).toEqual(['no_such_metric', 'kenos_fixture_value{kind="c"}']);
    const panels = [
      { panel: 'values', expr: 'sum(kenos_fixture_value)' },
      { panel: 'missing', expr: 'rate(no_such_total[1m])' },
    ];
    expect(await queriesWithoutData(prom, panels)).toEqual([panels[1]]);
  });

  it('rejects invalid PromQL with KENOS_ERR_TESTING_PROMETHEUS_QUERY and Prometheus’ reason, without waiting', async () => {
    const err = await prom.query('sum(').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestingError);
    expect(err).toMatchObject({ code: 'KENOS_ERR_TESTING_PROMETHEUS_QUERY' });
    expect((err as Error).message).toContain('parse error');
    await expect(prom.waitForData('sum(', 20_000)).rejects.toMatchObject({
      code: 'KENOS_ERR_TESTING_PROMETHEUS_QUERY',
    });
  });

  it('gives up waiting for data with KENOS_ERR_TESTING_PROMETHEUS_TIMEOUT and the log tail', async () => {
    const err = await prom
      .waitForData('no_such_metric', 600)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KENOS_ERR_TESTING_PROMETHEUS_TIMEOUT' });
    expect((err as Error).message).toMatch(
      /gave up waiting for data for no_such_metric after 600 ms[\s\S]*Prometheus log \(last lines\):\n.*msg=/,
    );
  });
});

describe('startPrometheus, its end and its failures', () => {
  it('stops on stop(): the process is gone and its directory removed', async () => {
    const other = await startPrometheus({
      targets: [{ job: 'fixture', address: target.address }],
    });
    expect(existsSync(join(other.dir, 'prometheus.yml'))).toBe(true);
    expect(isRunning(other.pid)).toBe(true);
    expect(other.log).toContain('Server is ready to receive web requests');
    await other.stop();
    expect(isRunning(other.pid)).toBe(false);
    expect(existsSync(other.dir)).toBe(false);
    await other.stop(); // a second stop does nothing
  }, 60_000);

  it('names the target that is down when its targets do not come up', async () => {
    const { server, address } = await metricsServer();
    await new Promise((resolve) => server.close(resolve)); // nothing listens there any more
    const down = await startPrometheus({
      targets: [{ job: 'gone', address }],
    });
    try {
      const err = await down.waitForTargetsUp(8000).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'KENOS_ERR_TESTING_PROMETHEUS_TIMEOUT',
      });
      expect((err as Error).message).toMatch(
        new RegExp(
          `every target up \\(1\\) after 8000 ms[\\s\\S]*target gone http://${address}/metrics: down \\(.*connection refused`,
        ),
      );
    } finally {
      await down.stop();
    }
  }, 60_000);

  it('throws KENOS_ERR_TESTING_PROMETHEUS_MISSING, saying how to install it, without prometheus on PATH', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kenos-testing-path-'));
    const path = process.env['PATH'];
    process.env['PATH'] = empty;
    try {
      const err = await startPrometheus({ targets: [] }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TestingError);
      expect(err).toMatchObject({
        code: 'KENOS_ERR_TESTING_PROMETHEUS_MISSING',
      });
      expect((err as Error).message).toContain('apt-get install prometheus');
    } finally {
      process.env['PATH'] = path;
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('fails to start with KENOS_ERR_TESTING_PROMETHEUS_START and the log when Prometheus exits', async () => {
    const err = await startPrometheus({
      targets: [],
      args: ['--no-such-flag'],
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KENOS_ERR_TESTING_PROMETHEUS_START' });
    expect((err as Error).message).toMatch(
      /Prometheus exited \(code 1[\s\S]*no-such-flag/,
    );
  });
});
