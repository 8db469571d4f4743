import { createServer } from 'node:net';

/**
 * A TCP port that was free on `127.0.0.1` a moment ago, for a process that
 * cannot bind port 0 and report it (e.g. a Prometheus scrape target set
 * before the service starts). Prefer port `0` wherever the process logs the
 * port it bound.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port =
        typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
