// Runs a step of Nx release with its console output held back: the release prints its own summary,
// and Nx's per-project log and file diffs are shown only with --verbose, or when the step fails.

/**
 * Runs `fn` with everything written to stdout and stderr captured. On success the output is
 * dropped; on an error (or when Nx exits the process) it is written to stderr first. With
 * `verbose` the output passes through.
 */
export async function quietly(fn, { verbose = false } = {}) {
  if (verbose) return fn();
  const captured = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const capture = (chunk, encoding, callback) => {
    captured.push(
      typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(),
    );
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') done();
    return true;
  };
  const restore = () => {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  };
  const replay = () => {
    restore();
    if (captured.length) process.stderr.write(captured.join(''));
    captured.length = 0;
  };
  // Nx exits the process on some configuration errors: say what it said
  process.once('exit', replay);
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    const result = await fn();
    restore();
    return result;
  } catch (error) {
    replay();
    throw error;
  } finally {
    process.removeListener('exit', replay);
  }
}
