// Anchor: the greeter's SayHello (its own use case) on a bare @grpc/grpc-js server (no interceptors).
import { grpcSayHello } from './greeter-logic.mjs';
import { serveGreeterGrpc } from './greeter-grpc.mjs';

serveGreeterGrpc(grpcSayHello);
