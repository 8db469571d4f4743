// The REST cases of the suites: requests per second on the hello route of a server script of
// tools/bench/servers/, against the bare express 5 app unless a case names another anchor.
import { httpServerSide } from './http-load.mjs';

/** The path of a server script in tools/bench/servers/. */
export function serverScript(file) {
  return new URL(`../servers/${file}`, import.meta.url).pathname;
}

/** A side that runs `file` of tools/bench/servers/ under HTTP load on its hello route. */
export function serverScriptSide(name, file) {
  return httpServerSide(name, serverScript(file));
}

/** The bare express 5 hello app (servers/bare-express.mjs), the default anchor of a REST case. */
export function bareExpressSide(name = 'bare express 5') {
  return serverScriptSide(name, 'bare-express.mjs');
}

/**
 * A case of REST hello requests per second: `subject` against `anchor` (the bare express 5 app
 * when not given), with an optional `target` ratio and `context` sides.
 */
export function restHelloCase(
  name,
  { subject, anchor = bareExpressSide(), target, context },
) {
  return {
    name,
    unit: 'req/s',
    ...(target === undefined ? {} : { target }),
    anchor,
    subject,
    ...(context === undefined ? {} : { context }),
  };
}
