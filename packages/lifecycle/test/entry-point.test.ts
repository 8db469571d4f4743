import { describe, expect, it } from 'vitest';

/** Loads the built package by its public name (through the exports map). */
const load = (specifier: string): Promise<Record<string, unknown>> =>
  import(specifier);

describe('the entry point of @kenos/lifecycle', () => {
  it('exports createLifecycle and its state list', async () => {
    const lifecycle = await load('@kenos/lifecycle');
    expect(typeof lifecycle['createLifecycle']).toBe('function');
    expect(lifecycle['LIFECYCLE_STATES']).toBeDefined();
  });

  it('keeps the option resolution and the fallback logger internal', async () => {
    const lifecycle = await load('@kenos/lifecycle');
    expect(lifecycle).not.toHaveProperty('resolveLifecycleOptions');
    expect(lifecycle).not.toHaveProperty('createFallbackLogger');
  });
});
