/** The part of a kubernetes-models class that the check uses. */
export interface KubernetesModel {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(this: unknown): void };
}

/** A problem inside one document: the JSON pointer of the value and what is wrong with it. */
export interface DocumentProblem {
  readonly pointer: string;
  readonly message: string;
}

/** `group/version` or `version`: a DNS subdomain group (no `..`, no `/` inside), a Kubernetes version. */
const API_VERSION =
  /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\/)?v\d+((alpha|beta)\d+)?$/;

const noSchema = (pointer: string, why: string): DocumentProblem => ({
  pointer,
  message: `no Kubernetes schema: ${why}`,
});

/**
 * The kubernetes-models module of an API group version (`apps/v1`: `kubernetes-models/apps/v1`),
 * or, for the Prometheus Operator's group (`monitoring.coreos.com/*`: the PodMonitor of every
 * service), `@kubernetes-models/prometheus-operator`. The core group's (`v1`) is a literal import,
 * which also shows the lint's dependency check that this package uses kubernetes-models; the others
 * are computed (every version the installed packages ship, no list to keep up to date).
 */
function importModels(apiVersion: string): Promise<Record<string, unknown>> {
  if (apiVersion === 'v1') return import('kubernetes-models/v1');
  if (apiVersion.startsWith('monitoring.coreos.com/'))
    return apiVersion === 'monitoring.coreos.com/v1'
      ? import(
          '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'
        )
      : import(
          /* @vite-ignore */ `@kubernetes-models/prometheus-operator/${apiVersion}`
        );
  return import(/* @vite-ignore */ `kubernetes-models/${apiVersion}`);
}

/**
 * The kubernetes-models class of an apiVersion and kind (the Kubernetes 1.36 OpenAPI schemas and the Prometheus Operator's CRDs,
 * compiled into one validator per kind, installed with the package: nothing is downloaded), or
 * the problem when there is none: a missing or malformed apiVersion, an unknown apiVersion
 * (custom resources included), an unknown kind.
 */
export async function kubernetesModel(
  apiVersion: unknown,
  kind: unknown,
): Promise<{ model: KubernetesModel } | { problem: DocumentProblem }> {
  if (typeof apiVersion !== 'string' || !API_VERSION.test(apiVersion)) {
    return {
      problem: noSchema(
        '/apiVersion',
        `apiVersion ${JSON.stringify(apiVersion) ?? 'undefined'} is missing or malformed`,
      ),
    };
  }
  let models: Record<string, unknown>;
  try {
    models = await importModels(apiVersion);
  } catch {
    return {
      problem: noSchema('/apiVersion', `unknown apiVersion ${apiVersion}`),
    };
  }
  const model =
    typeof kind === 'string' && Object.hasOwn(models, kind)
      ? (models[kind] as Partial<KubernetesModel> | undefined)
      : undefined;
  if (model?.apiVersion !== apiVersion || model.kind !== kind) {
    return {
      problem: noSchema(
        '/kind',
        `unknown kind ${JSON.stringify(kind) ?? 'undefined'} in ${apiVersion}`,
      ),
    };
  }
  return { model: model as KubernetesModel };
}
