import { describe, expect, it } from 'vitest';

/** Loads the built package by its public name (through the exports map). */
const load = (specifier: string): Promise<Record<string, unknown>> =>
  import(specifier);

describe('the entry point of @kenos/server', () => {
  it('exports defineService and runService', async () => {
    const server = await load('@kenos/server');
    expect(typeof server['defineService']).toBe('function');
    expect(typeof server['runService']).toBe('function');
  });

  it('keeps listComponents, which only runService uses, internal', async () => {
    const server = await load('@kenos/server');
    expect(server).not.toHaveProperty('listComponents');
  });
});
