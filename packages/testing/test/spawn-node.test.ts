import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort, spawnNode, stopAllProcesses } from '../src/process/index.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const lines = fixture('lines.mjs');
const dir = mkdtempSync(join(tmpdir(), 'kenos-testing-'));

afterEach(async () => {
  await stopAllProcesses();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spawnNode', () => {
  it('collects stdout and stderr as parsed lines and waits for a line of either stream', async () => {
    const proc = spawnNode(lines, ['a', 'b'], {
      env: { FIXTURE: 'x' },
      input: '',
    });
    expect(await proc.waitForLine('started')).toMatchObject({
      args: ['a', 'b'],
      env: { FIXTURE: 'x' },
    });
    expect(await proc.waitForStderrLine('on stderr')).toEqual({
      level: 'warn',
      msg: 'on stderr',
    });
    await proc.waitForStderrLine((line) => line.raw === 'plain stderr text');
    expect(await proc.exited).toMatchObject({ code: 0, signal: null });
    expect(proc.lines.at(-1)).toEqual({ msg: 'done' });
    expect(proc.lines).toContainEqual({ raw: 'listening on 4321' });
    expect(proc.stderr).toBe(
      '{"level":"warn","msg":"on stderr"}\nplain stderr text\n',
    );
  });

  it('passes the line as written to a predicate, for a text pattern', async () => {
    const proc = spawnNode(lines, [], { input: '' });
    const line = await proc.waitForLine((_line, text) =>
      /listening on (\d+)/.test(text),
    );
    expect(line).toEqual({ raw: 'listening on 4321' });
  });

  it('writes input to stdin and closes it', async () => {
    const proc = spawnNode(lines, [], { input: 'hello\n' });
    expect(await proc.waitForLine('input')).toMatchObject({ input: 'hello\n' });
  });

  it('gives the child only env when inheritEnv is false', async () => {
    const proc = spawnNode(lines, [], {
      env: { FIXTURE: 'only' },
      inheritEnv: false,
      input: '',
    });
    expect(await proc.waitForLine('started')).toMatchObject({
      env: { FIXTURE: 'only', HOME: null },
    });
  });

  it('keeps a torn last stdout line in stdout as written', async () => {
    const proc = spawnNode(lines, ['--torn'], { input: '' });
    await proc.exited;
    expect(proc.stdout.endsWith('listening on 4321\n{"msg":"torn')).toBe(true);
  });

  it('starts the node process under a wrapper command', async () => {
    const proc = spawnNode(lines, ['wrapped'], {
      wrapper: ['env', 'FIXTURE=from-wrapper'],
      input: '',
    });
    expect(await proc.waitForLine('started')).toMatchObject({
      args: ['wrapped'],
      env: { FIXTURE: 'from-wrapper' },
    });
  });

  it('reads the lines of a stdoutFile by polling it', async () => {
    const file = join(dir, 'stdout.log');
    const proc = spawnNode(lines, [], { stdoutFile: file, input: 'via file' });
    expect(await proc.waitForLine('input')).toMatchObject({
      input: 'via file',
    });
    await proc.exited;
    expect(proc.lines.at(-1)).toEqual({ msg: 'done' });
    expect(proc.stdout).toBe(readFileSync(file, 'utf8'));
  });

  it('leaves stderr to the test process with inheritStderr', async () => {
    const proc = spawnNode(lines, [], { inheritStderr: true, input: '' });
    await proc.exited;
    expect(proc.child.stderr).toBeNull();
    expect(proc.stderr).toBe('');
  });

  it('rejects a wait with KENOS_ERR_TESTING_LINE_TIMEOUT when the process exits without the line', async () => {
    const proc = spawnNode(lines, [], { input: '' });
    await expect(proc.waitForStderrLine('never written')).rejects.toMatchObject(
      { code: 'KENOS_ERR_TESTING_LINE_TIMEOUT' },
    );
  });

  it('stops every process it started with stopAllProcesses', async () => {
    const proc = spawnNode(lines);
    await proc.waitForLine('started');
    const exits = await stopAllProcesses();
    expect(exits).toHaveLength(1);
    expect(exits[0]).toMatchObject({ code: null, signal: 'SIGKILL' });
  });
});

describe('freePort', () => {
  it('returns a port that can be bound on 127.0.0.1', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) =>
      server.once('error', reject).listen(port, '127.0.0.1', resolve),
    );
    await new Promise((resolve) => server.close(resolve));
  });
});
