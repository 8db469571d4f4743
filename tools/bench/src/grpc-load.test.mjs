import { describe, expect, it } from 'vitest';
import { parseH2loadSummary } from './grpc-load.mjs';

// The summary of a real `h2load -D 1 -c 2 -m 2` run (nghttp2 1.52, Debian 12).
const SUMMARY = `starting benchmark...
spawning thread #0: 2 total client(s). Timing-based test with 0s of warm-up time and 1s of main duration for measurements.
Main benchmark duration is over for thread #0. Stopping all clients.
Stopped all clients for thread #0

finished in 1.00s, 6244.00 req/s, 183.06KB/s
requests: 6244 total, 6248 started, 6244 done, 6244 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 6244 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 183.06KB (187452) total, 12.29KB (12584) headers (space savings 95.31%), 6.10KB (6244) data
                     min         max         mean         sd        +/- sd
time for request:      155us    312.08ms       628us      7.88ms    99.94%
req/s           :    3117.28     3125.37     3121.32        5.72   100.00%
`;

describe('reading an h2load summary', () => {
  it('takes the rate from the finished line and the failures from the requests line', () => {
    expect(parseH2loadSummary(SUMMARY, 1)).toEqual({
      requestsPerSecond: 6244,
      failed: 0,
      errored: 0,
    });
  });

  it('reads a duration that h2load prints in milliseconds', () => {
    const text = SUMMARY.replace(
      'finished in 1.00s, 6244.00',
      'finished in 999.87ms, 6250.10',
    );
    expect(parseH2loadSummary(text, 1)?.requestsPerSecond).toBe(6250.1);
  });

  it('computes the rate as h2load does (succeeded / configured seconds) when the finished line is missing', () => {
    const text = SUMMARY.replace(/finished in .*\n/, '');
    expect(parseH2loadSummary(text, 2)?.requestsPerSecond).toBe(3122);
  });

  it('reports failed and errored requests', () => {
    const text = SUMMARY.replace(
      '6244 succeeded, 0 failed, 0 errored',
      '6200 succeeded, 44 failed, 3 errored',
    );
    expect(parseH2loadSummary(text, 1)).toMatchObject({
      failed: 44,
      errored: 3,
    });
  });

  it('gives nothing when the summary is missing', () => {
    expect(
      parseH2loadSummary(
        'starting benchmark...\nStopped all clients for thread #0\n',
        1,
      ),
    ).toBeNull();
  });
});
