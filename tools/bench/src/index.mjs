export { cpuMs, opsPerSecond, settle } from './measure.mjs';
export {
  spawnPinned,
  startPinnedNode,
  stopChild,
  pinningNote,
} from './processes.mjs';
export { median, ratioSummary, verdict, targetText } from './stats.mjs';
