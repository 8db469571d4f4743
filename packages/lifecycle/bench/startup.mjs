// Startup cost of the admin server: time from process start until /ready answers 200, and RSS
// at that moment, for bare node:http, @kenos/lifecycle and lightship 9 (the workspace's copy,
// a devDependency of tools/bench). Run after a build: `node bench/startup.mjs [runs]`.
import { spawn } from 'node:child_process';
import { request } from 'node:http';

const runs = Number(process.argv[2] ?? 7);
const dist = new URL('../dist/index.js', import.meta.url).href;
const variants = {
  'node:http': `
    const t = performance.now();
    const { createServer } = await import('node:http');
    const importMs = performance.now() - t;
    const s = createServer((q, r) => { r.statusCode = 200; r.end('ok'); });
    await new Promise((r) => s.listen(0, '127.0.0.1', r));
    report(s.address().port, importMs);`,
  '@kenos/lifecycle': `
    const t = performance.now();
    const { createLifecycle } = await import(${JSON.stringify(dist)});
    const importMs = performance.now() - t;
    const l = createLifecycle({ adminPort: 0, adminHost: '127.0.0.1', handleSignals: false });
    await l.start(); l.signalReady();
    report(l.adminPort, importMs);`,
  'lightship 9': `
    const t = performance.now();
    const { createLightship } = await import('lightship');
    const importMs = performance.now() - t;
    const l = await createLightship({ detectKubernetes: false });
    l.signalReady();
    report(l.server.address().port, importMs);`,
};
const prelude = `
  const report = (port, importMs) => process.stdout.write(JSON.stringify({ port, importMs }) + '\\n');
  process.on('message', () => {
    process.send(process.memoryUsage().rss);
    process.exit(0);
  });`;

function once(code) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', prelude + code],
      {
        cwd: new URL('.', import.meta.url),
        stdio: ['ignore', 'pipe', 'ignore', 'ipc'],
      },
    );
    child.stdout.setEncoding('utf8').once('data', (line) => {
      const { port, importMs } = JSON.parse(line);
      const probe = () =>
        request(
          { host: '127.0.0.1', port, path: '/ready', agent: false },
          (res) => {
            res.resume();
            if (res.statusCode !== 200) return setTimeout(probe, 1);
            const ms = performance.now() - t0;
            child.once('message', (rss) =>
              resolve({ ms, importMs, rssMB: rss / 1e6 }),
            );
            child.send('rss');
          },
        )
          .on('error', reject)
          .end();
      probe();
    });
    child.on('error', reject);
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
for (let i = 0; i < runs; i++) {
  for (const [name, code] of Object.entries(variants)) {
    const r = await once(code);
    (results[name] ??= []).push(r);
  }
}
const base = results['node:http'];
console.log(`median of ${runs} runs, process start until /ready answers 200`);
for (const [name, rs] of Object.entries(results)) {
  const ms = median(rs.map((r) => r.ms));
  const rss = median(rs.map((r) => r.rssMB));
  const imp = median(rs.map((r) => r.importMs));
  console.log(
    `${name.padEnd(18)} ${ms.toFixed(0).padStart(5)} ms (${(ms / median(base.map((r) => r.ms))).toFixed(2)}x)  ` +
      `import ${imp.toFixed(0).padStart(4)} ms  RSS ${rss.toFixed(1)} MB (+${(rss - median(base.map((r) => r.rssMB))).toFixed(1)} MB)`,
  );
}
