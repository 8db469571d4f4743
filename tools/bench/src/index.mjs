export { cpuMs, opsPerSecond, settle } from './measure.mjs';
export { spawnPinned, waitForLine, stopChild, pinningNote } from './processes.mjs';
export { median, ratioSummary, verdict, targetText } from './stats.mjs';
