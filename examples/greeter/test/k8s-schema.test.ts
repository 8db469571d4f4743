import { checkManifests } from '@kenos/cli';
import { expect, it } from 'vitest';

// `kenos manifests check deploy/k8s`: every document of every manifest strictly against the Kubernetes
// schema of its apiVersion and kind (no unknown field), and kustomization.yaml listing exactly the
// manifests of the directory. The meta-tests of the check are in packages/cli/test.
it('deploy/k8s holds valid Kubernetes manifests, all listed in kustomization.yaml', async () => {
  expect(
    await checkManifests(new URL('../deploy/k8s/', import.meta.url)),
  ).toEqual([]);
});
