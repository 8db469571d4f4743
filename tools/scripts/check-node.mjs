// The repository pins Node 24 (the `node` devDependency); npm scripts run on it
// because node_modules/.bin comes first on their PATH. Fail loudly otherwise.
export function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  console.log(`node ${process.version} (${process.execPath})`);
  if (major < 24) {
    console.error(
      `KENOS_ERR_NODE_VERSION: running on Node ${process.version}; Kenos is built and tested on Node 24. ` +
        'Run through npm scripts (npm test, npm start), which use the pinned node from node_modules/.bin, after `npm ci`.',
    );
    process.exit(1);
  }
}
