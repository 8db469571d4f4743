import { kenosVitestConfig } from '../../vitest.shared.mts';

export default kenosVitestConfig(import.meta.dirname);
