#!/usr/bin/env node
import { checkNode } from './check-node.mjs';
checkNode();
console.error(
  'npm start will build and run the example service (examples/greeter, component "api") once it exists; it does not yet.',
);
process.exit(1);
