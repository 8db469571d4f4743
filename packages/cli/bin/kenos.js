#!/usr/bin/env node
// The `kenos` bin. This shim is committed (not built) so that `npm ci` can
// link `node_modules/.bin/kenos` in a fresh checkout before the first build;
// the command itself is dist/bin.js.
try {
  await import('../dist/bin.js');
} catch (err) {
  if (
    err?.code === 'ERR_MODULE_NOT_FOUND' &&
    String(err.message).includes('dist/bin.js')
  ) {
    process.stderr.write(
      'kenos: @kenos/cli is not built yet; run `npm run build` first\n',
    );
    process.exit(1);
  }
  throw err;
}
