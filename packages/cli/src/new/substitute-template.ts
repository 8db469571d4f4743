import type { ServiceNameForms } from './service-name.js';

/**
 * The name the template is written with: the example service `greeter` of the Kenos repository
 * is the template (see `scripts/build-template.mjs`), and a generated service replaces each of
 * its spellings with the new name's.
 */
export const TEMPLATE_SERVICE_NAME = 'greeter';

/** The development token of the template's secrets file, replaced by a fresh one. */
export const TEMPLATE_DEV_TOKEN = 'dev-token-7f3a9c2e';

type Rule = readonly [RegExp, (forms: ServiceNameForms) => string];

/**
 * In order: the protobuf package and its path (`kenos.example.greeter.v1`), the npm and Nx
 * names of the example, the constant (`GREETER_*` variables), type (`GreeterService`) and
 * identifier (`greeterConfigSchema`) spellings, config keys (`greeter:` keys and `.greeter`
 * property accesses), then every other `greeter` (Kubernetes names, logs, the image).
 */
const RULES: readonly Rule[] = [
  [
    /kenos\/example\/greeter\/v1\/greeter\.proto/g,
    (f) => `kenos/${f.snake}/v1/${f.snake}.proto`,
  ],
  // generated code climbs from generated/kenos/example/greeter/v1/ to generated/: one level less
  [
    /(?:\.\.\/){4}kenos\/example\/greeter\/v1/g,
    (f) => `../../../kenos/${f.snake}/v1`,
  ],
  [/kenos\/example\/greeter\/v1/g, (f) => `kenos/${f.snake}/v1`],
  [/kenos\.example\.greeter\.v1/g, (f) => `kenos.${f.snake}.v1`],
  [/@kenos\/example-greeter/g, (f) => f.kebab],
  [/example-greeter/g, (f) => f.kebab],
  [/GREETER/g, (f) => f.constant],
  [/Greeter/g, (f) => f.pascal],
  [/greeter(?=\.proto\b)/g, (f) => f.snake],
  [/greeter(?=\.test\b)/g, (f) => f.kebab],
  [/greeter(?=[A-Z0-9_])/g, (f) => f.camel],
  [/(?<=\.)greeter\b(?!-)/g, (f) => f.camel],
  [/\bgreeter(?=\.[a-z])/g, (f) => f.camel],
  [/\bgreeter(?=\??\s*:(?:\s|$))/g, (f) => f.camel],
  [/(?<=\[')greeter(?='\])/g, (f) => f.camel],
  [/greeter/g, (f) => f.kebab],
];

const COMBINED = new RegExp(
  RULES.map(([pattern]) => `(${pattern.source})`).join('|'),
  'g',
);

/**
 * `text` of a template file with every spelling of the template's name replaced, in one pass
 * (so a new name that contains `greeter` is not replaced again), and the template's
 * development token replaced by `devToken`.
 */
export function substituteTemplate(
  text: string,
  forms: ServiceNameForms,
  devToken = TEMPLATE_DEV_TOKEN,
): string {
  return text
    .replaceAll(TEMPLATE_DEV_TOKEN, devToken)
    .replace(COMBINED, (...groups: unknown[]) => {
      const rule = groups
        .slice(1, RULES.length + 1)
        .findIndex((g) => g !== undefined);
      const replace = RULES[rule]?.[1];
      return replace === undefined ? String(groups[0]) : replace(forms);
    });
}

/** The path of a template file in the generated service (`/`-separated, relative). */
export function substituteTemplatePath(
  path: string,
  forms: ServiceNameForms,
): string {
  return substituteTemplate(RENAMED_FILES.get(path) ?? path, forms);
}

/**
 * Files stored under another name in the template, because `npm pack` would drop or
 * rename them (`.gitignore`, `.npmrc`) or the Kenos repository's tools would pick them up.
 */
const RENAMED_FILES = new Map<string, string>([
  ['gitignore', '.gitignore'],
  ['dockerignore', '.dockerignore'],
  ['nvmrc', '.nvmrc'],
  ['github/workflows/ci.yml', '.github/workflows/ci.yml'],
]);
