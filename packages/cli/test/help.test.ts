import { describe, expect, it } from 'vitest';
import { runKenos, SHIM } from './kenos-process.js';

const COMMANDS = [
  'new',
  'bundle',
  'manifests',
  'config',
  'observability',
  'encrypt',
  'decrypt',
  'secrets',
  'local-key',
  'kms-local',
  'help',
];

describe('kenos help and usage errors', () => {
  it('lists every command on stdout with exit 0 for help and --help', async () => {
    for (const args of [['help'], ['--help']]) {
      const r = await runKenos(args);
      expect(r.code).toBe(0);
      for (const name of COMMANDS) expect(r.stdout).toContain(`  ${name}`);
      expect(r.stderr).toBe('');
    }
  });

  it('prints the usage of one command for help COMMAND and COMMAND --help', async () => {
    const a = await runKenos(['help', 'kms-local']);
    const b = await runKenos(['kms-local', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('--throttle-rate');
    expect(b.stdout).toBe(a.stdout);
  });

  it('exits 2 with the command list on stderr for an unknown command', async () => {
    const r = await runKenos(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).toContain('Usage: kenos <command>');
  });

  it('exits 2 with the usage of the command on stderr for an unknown flag or a missing argument', async () => {
    const flag = await runKenos(['encrypt', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stdout).toBe('');
    expect(flag.stderr).toContain("Unknown option '--bogus'");
    expect(flag.stderr).toContain('Usage: kenos encrypt');
    const missing = await runKenos(['local-key', 'generate']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: kenos local-key');
    const badValue = await runKenos(['kms-local', '--port', 'abc']);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('--port');
  });

  it('prints its version for --version', async () => {
    const r = await runKenos(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it('runs the same through the committed bin shim that npm links as kenos', async () => {
    const r = await runKenos(['help'], { bin: SHIM });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kms-local');
  });
});
