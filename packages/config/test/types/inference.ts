import {
  defineConfigSchema,
  loadConfig,
  type ConfigValues,
  type KenosConfig,
  type ServiceConfigSchema,
} from '../../src/index.js';

function isEmail(value: unknown): asserts value is `${string}@${string}` {
  if (typeof value !== 'string' || !value.includes('@'))
    throw new Error('must be an e-mail address');
}

const schema = defineConfigSchema({
  db: {
    url: {
      doc: 'Database URL',
      format: 'url',
      default: 'postgres://localhost/app',
      env: 'DB_URL',
    },
    password: { format: 'secret', default: undefined, env: 'DB_PASSWORD' },
    poolSize: { format: 'nat', default: 10 },
    timeout: { format: 'duration', default: '5s' },
  },
  mode: { format: ['fast', 'safe'], default: 'safe' },
  greeting: { default: 'hello' },
  verbose: { format: Boolean, default: false },
  tags: { format: Array, default: ['a'] },
  admin: { email: { format: isEmail, default: 'ops@example.com' } },
  extra: { format: Object, default: {} },
  options: { format: 'object', default: { ssl: false } },
  nickname: { format: 'string', default: null, nullable: true },
  http: { port: { default: 3000 } },
});

type Expect<T extends true> = T;
type Equal<A, B> =
  (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2
    ? true
    : false;

type Config = KenosConfig<ServiceConfigSchema<typeof schema>>;
declare const config: Config;

export type TypeChecks = [
  Expect<Equal<typeof config.db.url, string>>,
  Expect<Equal<typeof config.db.password, string>>,
  Expect<Equal<typeof config.db.poolSize, number>>,
  Expect<Equal<typeof config.db.timeout, number>>,
  Expect<Equal<typeof config.mode, 'fast' | 'safe'>>,
  Expect<Equal<typeof config.greeting, string>>,
  Expect<Equal<typeof config.verbose, boolean>>,
  Expect<Equal<typeof config.tags, string[]>>,
  Expect<Equal<typeof config.admin.email, `${string}@${string}`>>,
  Expect<Equal<typeof config.nickname, string | null>>,
  Expect<Equal<typeof config.extra, Record<string, unknown>>>,
  Expect<Equal<typeof config.options, { ssl: boolean }>>,
  Expect<Equal<typeof config.http.port, number>>,
  Expect<Equal<ReturnType<typeof config.get<'grpc.port'>>, number>>,
  Expect<
    Equal<
      typeof config.log.level,
      'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'
    >
  >,
  Expect<Equal<typeof config.keys.provider, 'local' | 'aws'>>,
  Expect<Equal<typeof config.env, string>>,
  Expect<Equal<ConfigValues<typeof schema>['db']['poolSize'], number>>,
];

export async function check(): Promise<void> {
  const loaded: Config = await loadConfig(schema);
  void loaded;

  // standard keys are merged in, with their own types

  const size: number = config.get('db.poolSize');
  const db: { readonly url: string } = config.get('db');
  const source: string = config.sourceOf('db.password');
  void size;
  void db;
  void source;

  // @ts-expect-error a key that is not in the schema
  void config.db.user;
  // @ts-expect-error a path that is not in the schema
  config.get('db.user');
  // @ts-expect-error sourceOf takes leaf paths only
  config.sourceOf('db');
  // @ts-expect-error a value of the wrong type: poolSize is a number
  const wrong: string = config.db.poolSize;
  void wrong;
  // @ts-expect-error an enum value outside the list
  const mode: 'slow' = config.mode;
  void mode;
  // @ts-expect-error the config is read-only
  config.http.port = 1;
}
