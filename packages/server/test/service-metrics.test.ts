import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startService,
  stopAllServices,
  type ServiceProcess,
} from '@kenos/testing';

const fixture = fileURLToPath(
  new URL('./fixtures/service.mjs', import.meta.url),
);
let svc: ServiceProcess;

beforeAll(async () => {
  svc = await startService(fixture, 'api', { readyTimeoutMs: 30_000 });
});
afterAll(() => stopAllServices());

describe("a service's own metrics", () => {
  it('are served on the admin /metrics next to the Kenos metrics, with the service label', async () => {
    const base = `http://127.0.0.1:${svc.ports.http}`;
    for (let i = 0; i < 2; i++) {
      expect((await fetch(`${base}/widgets`, { method: 'POST' })).status).toBe(
        201,
      );
    }
    const text = await (
      await fetch(`http://127.0.0.1:${svc.ports.admin}/metrics`)
    ).text();
    expect(text).toContain(
      '# HELP fixture_widgets_total Widgets the fixture made.',
    );
    expect(text).toMatch(/^fixture_widgets_total\{service="fixture"\} 2$/m);
    expect(text).toMatch(/^kenos_build_info\{/m);
  });
});
