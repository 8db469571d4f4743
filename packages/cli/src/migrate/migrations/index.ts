import type { Migration } from '../migration.js';
import { bundleEntryPoint } from './1.0.0-bundle-entry-point.js';

/** Every migration shipped with this @kenos/cli, in any order (`kenos migrate` sorts them by version). */
export const MIGRATIONS: readonly Migration[] = [bundleEntryPoint];
