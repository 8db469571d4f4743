import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateService } from '../src/new/generate-service.js';
import {
  serviceNameForms,
  serviceNameProblem,
} from '../src/new/service-name.js';
import { substituteTemplate } from '../src/new/substitute-template.js';
import { runKenos } from './kenos-process.js';

const { createLocalKeyProvider, loadSecretFile } = await import(
  '@kenos/crypto'
);

const TEMPLATE = fileURLToPath(new URL('../template/', import.meta.url));
const cliVersion = (
  JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { version: string }
).version;

/** Every file under `dir`, relative, sorted. */
function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'kenos-new-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('service names', () => {
  it.each([['orders'], ['order-api'], ['a1'], ['x'.repeat(39)]])(
    'accepts %s',
    (name) => {
      expect(serviceNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['an empty name', ''],
    ['upper case', 'Orders'],
    ['a digit first', '1orders'],
    ['a trailing hyphen', 'orders-'],
    ['an underscore', 'order_api'],
    ['a double hyphen', 'order--api'],
    ['64 characters', 'x'.repeat(64)],
  ])('refuses %s', (_what, name) => {
    expect(serviceNameProblem(name)).toMatch(/./);
  });

  it('spells a name for identifiers, types, variables and protobuf', () => {
    expect(serviceNameForms('order-api-v2')).toEqual({
      kebab: 'order-api-v2',
      camel: 'orderApiV2',
      pascal: 'OrderApiV2',
      constant: 'ORDER_API_V2',
      snake: 'order_api_v2',
    });
  });
});

describe('template substitution', () => {
  const forms = serviceNameForms('order-api');
  it.each([
    ["name: 'greeter',", "name: 'order-api',"],
    ['export const greeterConfigSchema', 'export const orderApiConfigSchema'],
    ['GREETER_MAX_NAME_LENGTH', 'ORDER_API_MAX_NAME_LENGTH'],
    [
      'kenos.example.greeter.v1.GreeterService',
      'kenos.order_api.v1.OrderApiService',
    ],
    [
      'proto/kenos/example/greeter/v1/greeter.proto',
      'proto/kenos/order_api/v1/order_api.proto',
    ],
    ['config.greeter.worker', 'config.orderApi.worker'],
    ['greeter:\n  greeting: Hello', 'orderApi:\n  greeting: Hello'],
    ['{ greeter: { apiToken: string } }', '{ orderApi: { apiToken: string } }'],
    ['image: kenos/greeter:dev', 'image: kenos/order-api:dev'],
    ['app.kubernetes.io/name: greeter', 'app.kubernetes.io/name: order-api'],
    ['name: greeter-daily-report', 'name: order-api-daily-report'],
    ['test/greeter.test.ts', 'test/order-api.test.ts'],
    [
      "from '../../../../kenos/example/greeter/v1/SayHelloRequest.js'",
      "from '../../../kenos/order_api/v1/SayHelloRequest.js'",
    ],
    [
      "ConfigValues<typeof greeterConfigSchema>['greeter']",
      "ConfigValues<typeof orderApiConfigSchema>['orderApi']",
    ],
  ])('turns %j into %j', (from, to) => {
    expect(substituteTemplate(from, forms)).toBe(to);
  });

  it('replaces in one pass, so a name that contains greeter is not replaced again', () => {
    expect(
      substituteTemplate(
        'greeter GreeterService',
        serviceNameForms('greeter-two'),
      ),
    ).toBe('greeter-two GreeterTwoService');
  });
});

describe('kenos new', () => {
  it('generates the service with its name everywhere and no trace of the template name', async () => {
    const r = await runKenos(['new', 'svc', '--name', 'order-api'], {
      cwd: work,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created service order-api in /);
    const dir = join(work, 'svc');
    const files = walk(dir);
    expect(files).toEqual(
      expect.arrayContaining([
        '.gitignore',
        '.dockerignore',
        '.github/workflows/ci.yml',
        '.kenos/dev.key',
        'Dockerfile',
        'README.md',
        'config/default.yaml',
        'config/development.secrets.yaml',
        'package.json',
        'proto/kenos/order_api/v1/order_api.proto',
        'renovate.json',
        'src/adapters/grpc/order-api-service.ts',
        'src/service.ts',
        'test/order-api.test.ts',
      ]),
    );
    expect(files.filter((f) => /greeter/i.test(f))).toEqual([]);
    const traces = files.filter((f) =>
      /greeter/i.test(readFileSync(join(dir, f), 'utf8')),
    );
    expect(traces).toEqual([]);
    expect(files).not.toContain('config/development.secrets.plain.yaml');
    expect(
      readdirSync(work).filter((f) => f !== 'svc'),
      'no temporary directory is left',
    ).toEqual([]);
  });

  it('pins every @kenos package at the CLI version and records the template version', async () => {
    await generateService({ dir: join(work, 'orders') });
    const pkg = JSON.parse(
      readFileSync(join(work, 'orders/package.json'), 'utf8'),
    ) as {
      name: string;
      kenos: { template: string };
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.name).toBe('orders');
    expect(pkg.kenos.template).toBe(cliVersion);
    const kenos = Object.entries({
      ...pkg.dependencies,
      ...pkg.devDependencies,
    }).filter(([n]) => n.startsWith('@kenos/'));
    expect(kenos.length).toBeGreaterThanOrEqual(3);
    for (const [, range] of kenos) expect(range).toBe(cliVersion);
  });

  it('encrypts fresh development secrets with a new development key that only that service has', async () => {
    const a = await generateService({ dir: join(work, 'alpha') });
    const b = await generateService({ dir: join(work, 'beta') });
    expect(a.keyId).toBe('alpha-development');
    const keyFile = join(a.dir, '.kenos/dev.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const secrets = await loadSecretFile(
      join(a.dir, 'config/development.secrets.yaml'),
      { keyProvider: createLocalKeyProvider({ keyFile }) },
    );
    const token = (secrets['alpha'] as { apiToken: string }).apiToken;
    expect(token).toMatch(/^dev-token-[0-9a-f]{12}$/);
    expect(token).not.toBe('dev-token-7f3a9c2e');
    // the service's test that checks the token is never logged checks the new token
    expect(readFileSync(join(a.dir, 'test/alpha.test.ts'), 'utf8')).toContain(
      token,
    );
    expect(readFileSync(keyFile, 'utf8')).not.toBe(
      readFileSync(join(b.dir, '.kenos/dev.key'), 'utf8'),
    );
    await expect(
      loadSecretFile(join(b.dir, 'config/development.secrets.yaml'), {
        keyProvider: createLocalKeyProvider({ keyFile }),
      }),
    ).rejects.toThrow();
  });

  it('generates into an existing empty directory', async () => {
    mkdirSync(join(work, 'empty'));
    const r = await runKenos(['new', 'empty'], { cwd: work });
    expect(r.code).toBe(0);
    expect(existsSync(join(work, 'empty/package.json'))).toBe(true);
  });

  it.each([
    ['an invalid name from --name', ['new', 'svc', '--name', 'Order_API']],
    ['an invalid name from the directory', ['new', 'My.Service']],
    ['a name too long for the CronJob', ['new', 'x'.repeat(40)]],
  ])('refuses %s with exit 2 and writes nothing', async (_what, args) => {
    const r = await runKenos(args, { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kenos new: .*nothing was written/);
    expect(readdirSync(work)).toEqual([]);
  });

  it('refuses a directory that is not empty with exit 2 and leaves it as it was', async () => {
    mkdirSync(join(work, 'taken'));
    writeFileSync(join(work, 'taken/notes.txt'), 'mine');
    const r = await runKenos(['new', 'taken'], { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/taken exists and is not empty/);
    expect(walk(join(work, 'taken'))).toEqual(['notes.txt']);
    expect(readdirSync(work)).toEqual(['taken']);
  });

  it('refuses a missing directory argument with exit 2 and the usage', async () => {
    const r = await runKenos(['new'], { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: kenos new DIR/);
  });

  it('writes nothing when generation fails midway, not even the parent directories it created', async () => {
    const broken = join(work, 'template');
    cpSync(TEMPLATE, broken, { recursive: true });
    // a file the generator cannot read, after files it has already written
    symlinkSync(join(work, 'nowhere'), join(broken, 'src/zz-dangling.ts'));
    await expect(
      generateService({
        dir: join(work, 'new-parent/svc'),
        templateDir: broken,
      }),
    ).rejects.toMatchObject({ code: 'KENOS_ERR_CLI_OUTPUT' });
    expect(readdirSync(work)).toEqual(['template']);
  });
});
