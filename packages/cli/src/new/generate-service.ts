import { randomBytes } from 'node:crypto';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-error.js';
import { cliVersion } from '../cli-version.js';
import {
  serviceNameForms,
  serviceNameProblem,
  type ServiceNameForms,
} from './service-name.js';
import {
  substituteTemplate,
  substituteTemplatePath,
} from './substitute-template.js';

/** Options of {@link generateService}. */
export interface GenerateServiceOptions {
  /** Directory to create; it must not exist or be empty. Relative to `cwd`. */
  readonly dir: string;
  /** The service name. Default the last segment of `dir`. */
  readonly name?: string;
  /** Base of a relative `dir`. Default `process.cwd()`. */
  readonly cwd?: string;
  /** The template to generate from. Default the template shipped with `@kenos/cli` (its `template/` directory). */
  readonly templateDir?: string;
  /** The version of the `@kenos/*` packages the service depends on, exactly. Default the version of `@kenos/cli`. */
  readonly kenosVersion?: string;
}

/** What {@link generateService} created. */
export interface GeneratedService {
  /** Absolute path of the new service directory. */
  readonly dir: string;
  /** The service name. */
  readonly name: string;
  /** Files written, relative to `dir`, sorted. */
  readonly files: readonly string[];
  /** Id of the new local development key in `.kenos/dev.key`. */
  readonly keyId: string;
}

/** The template's development secrets, in plaintext; the generator encrypts them with a new key. */
export const TEMPLATE_PLAIN_SECRETS = 'config/development.secrets.plain.yaml';
/** Where a generated service keeps its encrypted development secrets. */
const SECRETS_FILE = 'config/development.secrets.yaml';
/** Where a generated service keeps its local development key (committed: it opens only development secrets). */
const DEV_KEY_FILE = '.kenos/dev.key';
/** Replaced in every text file of the template by the version of the `@kenos/*` packages. */
const VERSION_PLACEHOLDER = '0.0.0-kenos-version';
/** The Kubernetes name with the longest suffix and the lowest limit: the batch's CronJob. */
const LONGEST_K8S_NAME = {
  suffix: '-daily-report',
  limit: 52,
  kind: 'CronJob name',
};

const defaultTemplateDir = (): string =>
  fileURLToPath(new URL('../../template/', import.meta.url));

/** Every file under `dir`, `/`-separated and relative, sorted. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}

/** Refuses a target that exists and is not an empty directory; says whether it exists. */
async function checkTarget(target: string): Promise<boolean> {
  let info;
  try {
    info = await stat(target);
  } catch {
    return false;
  }
  if (!info.isDirectory())
    throw new CliError(
      'KENOS_ERR_CLI_USAGE',
      `kenos new: ${target} exists and is not a directory; nothing was written`,
    );
  if ((await readdir(target)).length > 0)
    throw new CliError(
      'KENOS_ERR_CLI_USAGE',
      `kenos new: ${target} exists and is not empty; choose a new directory (nothing was written)`,
    );
  return true;
}

async function writeTemplate(
  templateDir: string,
  out: string,
  forms: ServiceNameForms,
  version: string,
  devToken: string,
): Promise<string[]> {
  const written: string[] = [];
  for (const rel of await listFiles(templateDir)) {
    const bytes = await readFile(join(templateDir, rel));
    const mode = (await stat(join(templateDir, rel))).mode & 0o777;
    const text = bytes.toString('utf8');
    const target =
      rel === TEMPLATE_PLAIN_SECRETS
        ? undefined
        : substituteTemplatePath(rel, forms);
    if (target === undefined) continue;
    const isText =
      !bytes.includes(0) && Buffer.from(text, 'utf8').equals(bytes);
    const content = isText
      ? substituteTemplate(text, forms, devToken).replaceAll(
          VERSION_PLACEHOLDER,
          version,
        )
      : bytes;
    await mkdir(dirname(join(out, target)), { recursive: true });
    await writeFile(join(out, target), content, { mode });
    written.push(target);
  }
  return written;
}

/** Encrypts the template's development secrets for the new service with a new local key. */
async function writeDevelopmentSecrets(
  templateDir: string,
  out: string,
  forms: ServiceNameForms,
  devToken: string,
): Promise<string> {
  const crypto = await import('@kenos/crypto');
  const { keyId } = await crypto.generateLocalKey(join(out, DEV_KEY_FILE), {
    keyId: `${forms.kebab}-development`,
  });
  const plainText = substituteTemplate(
    await readFile(join(templateDir, TEMPLATE_PLAIN_SECRETS), 'utf8'),
    forms,
    devToken,
  );
  const plain = crypto.parseSecretDocument(plainText, 'yaml');
  await crypto.writeSecretFile(join(out, SECRETS_FILE), plain, {
    keyProvider: crypto.createLocalKeyProvider({
      keyFile: join(out, DEV_KEY_FILE),
    }),
  });
  return keyId;
}

/**
 * Creates a new service in `options.dir` from the Kenos service template, all or nothing:
 * everything is written to a temporary directory next to the target, which is renamed into
 * place at the end; on any failure the temporary directory is removed and the target is left
 * as it was. Refuses an invalid name and a target that exists and is not empty (usage errors,
 * `KENOS_ERR_CLI_USAGE`).
 */
export async function generateService(
  options: GenerateServiceOptions,
): Promise<GeneratedService> {
  const target = resolve(options.cwd ?? process.cwd(), options.dir);
  const name = options.name ?? basename(target);
  const problem = serviceNameProblem(name, LONGEST_K8S_NAME);
  if (problem !== undefined)
    throw new CliError(
      'KENOS_ERR_CLI_USAGE',
      `kenos new: ${problem}${options.name === undefined ? ' (the name comes from the directory; give another with --name)' : ''}; nothing was written`,
    );
  const templateDir = options.templateDir ?? defaultTemplateDir();
  try {
    await stat(join(templateDir, 'package.json'));
  } catch (cause) {
    throw new CliError(
      'KENOS_ERR_CLI_INPUT',
      `kenos new: no service template in ${templateDir} (in the Kenos repository, run \`npm run build\` first)`,
      { cause },
    );
  }
  const targetExists = await checkTarget(target);
  const forms = serviceNameForms(name);
  const version = options.kenosVersion ?? cliVersion();
  const devToken = `dev-token-${randomBytes(6).toString('hex')}`;

  const parent = dirname(target);
  const createdParent = await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(target)}.kenos-new-`));
  try {
    const files = await writeTemplate(
      templateDir,
      tmp,
      forms,
      version,
      devToken,
    );
    const keyId = await writeDevelopmentSecrets(
      templateDir,
      tmp,
      forms,
      devToken,
    );
    if (targetExists) await rmdir(target);
    await rename(tmp, target);
    return {
      dir: target,
      name,
      files: [...files, DEV_KEY_FILE, SECRETS_FILE].sort(),
      keyId,
    };
  } catch (cause) {
    await rm(tmp, { recursive: true, force: true });
    if (createdParent !== undefined)
      await rm(createdParent, { recursive: true, force: true });
    throw cause instanceof CliError
      ? cause
      : new CliError(
          'KENOS_ERR_CLI_OUTPUT',
          `kenos new: could not generate ${target}; nothing was written`,
          { cause },
        );
  }
}
