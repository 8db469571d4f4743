import { describe, expect, it } from 'vitest';

/** Loads an entry point of the built package by its public specifier (through the exports map). */
const load = (specifier: string): Promise<Record<string, unknown>> =>
  import(specifier);

const ASSET_GENERATORS = [
  'buildAlertRules',
  'buildDashboard',
  'buildPodMonitor',
  'dashboardQueries',
  'renderObservabilityAssets',
  'resolveDashboardQuery',
  'toYaml',
  'DEFAULT_RUNBOOK_BASE_URL',
  'ERROR_RATIO_WINDOWS',
];

describe('the entry points of @kenos/telemetry', () => {
  it('offers the asset generators at @kenos/telemetry/assets and not at the runtime entry point', async () => {
    const assets = await load('@kenos/telemetry/assets');
    const runtime = await load('@kenos/telemetry');
    expect(Object.keys(assets).sort()).toEqual([...ASSET_GENERATORS].sort());
    for (const name of ASSET_GENERATORS)
      expect(runtime).not.toHaveProperty(name);
  });

  it('exports setTelemetryLogger under the name of the function it is', async () => {
    const runtime = await load('@kenos/telemetry');
    expect(typeof runtime['setTelemetryLogger']).toBe('function');
    expect((runtime['setTelemetryLogger'] as () => void).name).toBe(
      'setTelemetryLogger',
    );
  });

  it('keeps its internal helpers out of the runtime entry point', async () => {
    const runtime = await load('@kenos/telemetry');
    expect(runtime).not.toHaveProperty('normalizeHttpMethod');
    expect(runtime).not.toHaveProperty('kenosSdkVersion');
    expect(runtime).toHaveProperty('createMetrics');
  });
});
