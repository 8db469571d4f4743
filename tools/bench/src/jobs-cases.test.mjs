import { describe, expect, it } from 'vitest';
import {
  bareAddSide,
  countClientCommands,
  kenosRestEnqueueSide,
} from './jobs-cases.mjs';

describe('jobs cases', () => {
  it('counts the commands clients sent among MONITOR lines, not those of Lua scripts', () => {
    const lines = [
      '+1764780000.000001 [0 127.0.0.1:50000] "evalsha" "abc" "8" "kenos:noop:wait"',
      '+1764780000.000002 [0 lua] "exists" "kenos:noop:job1"',
      '+1764780000.000003 [0 lua] "hmset" "kenos:noop:job1" "name" "noop"',
      '+1764780000.000004 [0 unix:/run/redis.sock] "ping"',
      '+1764780000.000005 [3 [::1]:50001] "get" "x"',
    ];
    expect(countClientCommands(lines)).toBe(3);
  });

  // the bench's enqueue-cost case as a check that cannot be noisy: commands are counted, not timed
  it(
    'an enqueue from a REST handler sends one Redis command, as a bare BullMQ Queue.add does',
    { timeout: 60_000 },
    async () => {
      for (const side of [kenosRestEnqueueSide(), bareAddSide()]) {
        const state = await side.setup({ mode: 'quick' });
        try {
          expect(await side.measure(state, { mode: 'quick' })).toBe(1);
        } finally {
          await side.teardown(state);
        }
      }
    },
  );
});
