import { readFileSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { BUNDLE_EXTERNAL } from './bundle-external.js';

/** Options of {@link bundleService}. */
export interface BundleServiceOptions {
  /**
   * The service's package directory: `entry` and `out` are relative to it, and the
   * `@kenos/telemetry` whose version the bundle reports is resolved from its `package.json`.
   * Default `process.cwd()`.
   */
  cwd?: string;
  /** The compiled entry module of the service, the output of its TypeScript build. Default `dist/main.js`. */
  entry?: string;
  /**
   * The bundle file (ES module); its source map is written next to it as `<out>.map`. Keep it
   * in the directory of `entry`: a bundle has one `import.meta.url` for all its modules, so
   * paths the service computes from it (its `config/`, `.proto` files) stay right only at the
   * same depth. Default `dist/main.bundle.mjs`.
   */
  out?: string;
}

/** What {@link bundleService} wrote. */
export interface BundleServiceResult {
  /** Absolute path of the bundle. */
  readonly out: string;
  /** Absolute path of its source map (`<out>.map`). */
  readonly map: string;
  /** Size of the bundle in bytes. */
  readonly bytes: number;
  /**
   * The `@kenos/telemetry` version compiled in as the Kenos SDK version (the `kenos_version`
   * label of `kenos_build_info`); `undefined` when `@kenos/telemetry` cannot be resolved from
   * the service, and the bundle then reports `unknown`.
   */
  readonly kenosVersion: string | undefined;
  /** rolldown's warnings, one line each. */
  readonly warnings: readonly string[];
}

/** Default {@link BundleServiceOptions.entry}. */
export const DEFAULT_BUNDLE_ENTRY = 'dist/main.js';
/** Default {@link BundleServiceOptions.out}. */
export const DEFAULT_BUNDLE_OUT = 'dist/main.bundle.mjs';

/**
 * The version of the `@kenos/telemetry` the service runs on: resolved from the service's
 * `package.json`, else through its `@kenos/server` (a strict `node_modules` layout, where only
 * direct dependencies resolve).
 */
function kenosVersionOf(cwd: string): string | undefined {
  const version = (from: string): string | undefined => {
    try {
      const path = createRequire(from).resolve('@kenos/telemetry/package.json');
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as {
        version?: unknown;
      };
      return typeof pkg.version === 'string' ? pkg.version : undefined;
    } catch {
      return undefined;
    }
  };
  const fromService = version(join(cwd, 'package.json'));
  if (fromService !== undefined) return fromService;
  try {
    const server = createRequire(join(cwd, 'package.json')).resolve(
      '@kenos/server/package.json',
    );
    return version(server);
  } catch {
    return undefined;
  }
}

/** A rolldown log or error: its code, its (coloured, multi-line) message and where. */
interface RolldownLogLike {
  code?: string;
  message?: string;
  loc?: { file?: string; line: number; column: number };
}

/**
 * One line for a rolldown log: the first line of its message without ANSI colours
 * (`[UNRESOLVED_IMPORT] Could not resolve './x.js' in dist/main.js`), and the place
 * (`dist/main.js:1:34`) when the message does not name it.
 */
function logLine(log: RolldownLogLike, cwd: string): string {
  const text = (log.message ?? String(log.code ?? 'error'))
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .trim();
  const first = text.split('\n')[0] ?? '';
  const loc = log.loc;
  if (loc === undefined) return first;
  const where = `${loc.file === undefined ? '' : `${relative(cwd, loc.file)}:`}${loc.line}:${loc.column + 1}`;
  return first.includes(where) ? first : `${first} (${where})`;
}

/** Every error of a failed rolldown build, one line each, joined with `; `. */
function buildErrorLines(err: unknown, cwd: string): string {
  const errors = (err as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0)
    return errors.map((e) => logLine(e as RolldownLogLike, cwd)).join('; ');
  return logLine(
    { message: err instanceof Error ? err.message : String(err) },
    cwd,
  );
}

/**
 * Builds the production bundle of a service with rolldown: its compiled entry and every module
 * it imports, the `@kenos/*` packages included, in one ES module file for Node.js, with a source
 * map. One file instead of several hundred modules shortens the start of every component: no
 * module resolution, one read and one compile-cache entry. The packages of
 * {@link BUNDLE_EXTERNAL} stay external. `__KENOS_SDK_VERSION__` is defined as the version of
 * the `@kenos/telemetry` resolved from the service, so that `kenos_build_info` reports the Kenos
 * SDK version rather than the version of the `package.json` next to the bundle.
 *
 * Throws {@link CliError} `KENOS_ERR_CLI_BUNDLE_ENTRY` when the entry does not exist (run the
 * TypeScript build first), `KENOS_ERR_CLI_OUTPUT` when the directory of `out` cannot be created,
 * `KENOS_ERR_CLI_BUNDLE` when rolldown fails (an import that does not resolve, a syntax error).
 */
export async function bundleService(
  options: BundleServiceOptions = {},
): Promise<BundleServiceResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const entryName = options.entry ?? DEFAULT_BUNDLE_ENTRY;
  const entry = resolve(cwd, entryName);
  const out = resolve(cwd, options.out ?? DEFAULT_BUNDLE_OUT);
  const found = await stat(entry).catch(() => undefined);
  if (found === undefined || !found.isFile()) {
    throw new CliError(
      'KENOS_ERR_CLI_BUNDLE_ENTRY',
      `the entry ${entryName} does not exist in ${cwd}: run the TypeScript build of the service first (npx tsc -b tsconfig.lib.json, or npm run build), or name the compiled entry with --entry`,
    );
  }
  await mkdir(dirname(out), { recursive: true }).catch((cause: unknown) => {
    throw new CliError(
      'KENOS_ERR_CLI_OUTPUT',
      `cannot write the bundle ${options.out ?? DEFAULT_BUNDLE_OUT}: cannot create its directory ${dirname(out)}`,
      { cause },
    );
  });
  const kenosVersion = kenosVersionOf(cwd);
  const warnings: string[] = [];
  if (kenosVersion === undefined)
    warnings.push(
      `@kenos/telemetry does not resolve from ${cwd}: kenos_build_info will report kenos_version "unknown"`,
    );
  const { rolldown } = await import('rolldown');
  let build;
  try {
    build = await rolldown({
      input: entry,
      cwd,
      platform: 'node',
      external: [...BUNDLE_EXTERNAL],
      transform: {
        define:
          kenosVersion === undefined
            ? {}
            : { __KENOS_SDK_VERSION__: JSON.stringify(kenosVersion) },
      },
      onLog(level, log) {
        if (level === 'warn') warnings.push(logLine(log, cwd));
      },
    });
    await build.write({
      file: out,
      format: 'esm',
      codeSplitting: false,
      sourcemap: true,
      // V8 keeps the bundle's source in memory, two bytes a character as soon as one is not ASCII
      // (a name in a licence comment is enough): escaped non-ASCII and no comments keep it one byte
      // a character, about 6 MiB less resident memory for the greeter. The licences ship with the
      // packages in node_modules, which the image installs next to the bundle.
      charset: 'ascii',
      comments: { legal: false, annotation: false, jsdoc: false },
    });
  } catch (cause) {
    // rolldown's own errors are all in the message; another error (a file that cannot be written) is the cause
    const ownErrors = Array.isArray(
      (cause as { errors?: unknown } | null)?.errors,
    );
    throw new CliError(
      'KENOS_ERR_CLI_BUNDLE',
      `rolldown could not bundle ${entryName}: ${buildErrorLines(cause, cwd)}`,
      ownErrors ? {} : { cause },
    );
  } finally {
    await build?.close();
  }
  const { size } = await stat(out);
  return {
    out,
    map: `${out}.map`,
    bytes: size,
    kenosVersion,
    warnings,
  };
}
