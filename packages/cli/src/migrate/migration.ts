/** The service a {@link Migration} runs on. */
export interface MigrationService {
  /** The service's package.json, parsed. */
  readonly packageJson: Readonly<Record<string, unknown>>;
  /**
   * Contents of the service's files that the migration named in `files`, after the earlier
   * migrations and this one's transforms (`/`-separated paths relative to the service).
   */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * One change of the service template between two releases, applied by `kenos migrate` to a
 * service whose `kenos.template` is below `version`. Written so that it detects a file it already
 * migrated: a second run changes nothing.
 */
export interface Migration {
  /** The release of the Kenos packages that made the change (a semantic version). */
  readonly version: string;
  /** Short kebab-case name, unique within `version`. */
  readonly id: string;
  /** What changed and what the migration does, for the release notes and `kenos migrate`. */
  readonly description: string;
  /**
   * The files the migration reads, `/`-separated and relative to the service; `*` matches any
   * characters within one path segment (`deploy/k8s/*.yaml`). Files that do not exist are skipped;
   * package.json is never among them (`kenos migrate` sets its `kenos.template`, Renovate its dependencies).
   */
  readonly files: readonly string[];
  /**
   * The new content of a file; `text` itself when nothing changes; `null` deletes the file (only
   * for a file whose content is known, byte for byte, to be an old template file).
   */
  transform(path: string, text: string): string | null;
  /** What the service must still do by hand after the migration, one sentence each. Default none. */
  manualSteps?(service: MigrationService): readonly string[];
}

/** Whether `path` (`/`-separated, relative) matches one of the `files` patterns of a migration. */
export function matchesFiles(
  path: string,
  patterns: readonly string[],
): boolean {
  return patterns.some((pattern) => patternRegExp(pattern).test(path));
}

function patternRegExp(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${source}$`);
}

/** The directories to list for `patterns`: the part of each before its first segment with a `*`. */
export function patternDirectories(patterns: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const pattern of patterns) {
    const segments = pattern.split('/');
    const wild = segments.findIndex((s) => s.includes('*'));
    dirs.add(
      wild === -1
        ? segments.slice(0, -1).join('/')
        : segments.slice(0, wild).join('/'),
    );
  }
  return [...dirs];
}
