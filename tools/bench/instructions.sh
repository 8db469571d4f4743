#!/usr/bin/env bash
# Instructions executed per request by a server's main thread, counted by callgrind (valgrind):
# a figure that neighbours on a shared machine cannot disturb, unlike time. Not part of CI.
#
#   tools/bench/instructions.sh http <label> <node args…>   # autocannon on GET /v1/greetings/bench
#   tools/bench/instructions.sh grpc <label> <node args…>   # h2load on GreeterService/SayHello
#
# e.g. tools/bench/instructions.sh http bare tools/bench/servers/bare-express.mjs
#      tools/bench/instructions.sh grpc greeter examples/greeter/dist/main.js api
#
# The server runs under callgrind with instrumentation off; after WARM requests (default 15000)
# it is switched on for ROUNDS rounds (default 3) of N requests (default 3000) each. Prints the
# main thread's instructions per request of every round (JIT compilation on other threads and
# the load generator are not counted). Needs Debian's valgrind (apt-get install valgrind) and,
# for grpc, nghttp2-client. Expect rounds to differ by a few per cent (garbage collections fall
# into one round or the next): compare medians of runs, not single rounds.
#
# CACHE_SIM=1 adds callgrind's cache simulation (slower) and prints, per request, the L1
# instruction-cache and data-read misses next to the instructions: code that executes few more
# instructions can still cost more time by pushing the request path out of the 32 KiB L1
# instruction cache (each miss costs about as much as a dozen instructions).
set -euo pipefail
cd "$(dirname "$0")/../.."

transport=${1:?usage: instructions.sh http|grpc <label> <node args…>}
label=${2:?usage: instructions.sh http|grpc <label> <node args…>}
shift 2
WARM=${WARM:-15000} N=${N:-3000} ROUNDS=${ROUNDS:-3} CACHE_SIM=${CACHE_SIM:-0}
command -v callgrind_control > /dev/null || { echo "KENOS_ERR_BENCH_VALGRIND: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
node=node_modules/.bin/node
work=$(mktemp -d "${TMPDIR:-/tmp}/kenos-instructions-XXXXXX")
port=$((20000 + RANDOM % 20000))
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2> /dev/null || true; wait "$server_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$transport" = http ]; then ports=(HTTP_PORT="$port" GRPC_PORT=0); else ports=(GRPC_PORT="$port" HTTP_PORT=0); fi
env "${ports[@]}" ADMIN_PORT=0 KENOS_ENV=staging LOG_LEVEL=info LOG_FORMAT=json ACCESS_LOG_FILE="$work/access.log" \
  valgrind --tool=callgrind --cache-sim="$([ "$CACHE_SIM" = 1 ] && echo yes || echo no)" --instr-atstart=no --separate-threads=yes --callgrind-out-file="$work/cg" \
  "$node" "$@" > "$work/server.log" 2>&1 &
server_pid=$!

# up to 4 minutes for the port: startup under valgrind is slow
for _ in $(seq 240); do
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then break; fi
  kill -0 "$server_pid" 2> /dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 1
done

load() {
  if [ "$transport" = http ]; then
    taskset -c 1 "$node" node_modules/autocannon/autocannon.js -c 8 -a "$1" "http://127.0.0.1:$port/v1/greetings/bench" > /dev/null 2>&1
  else
    taskset -c 1 h2load -c 8 -m 16 -n "$1" -d "$work/request.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
      "http://127.0.0.1:$port/kenos.example.greeter.v1.GreeterService/SayHello" > /dev/null 2>&1
  fi
}
# one gRPC frame: SayHelloRequest { name: "bench" }
printf '\x00\x00\x00\x00\x07\x0a\x05bench' > "$work/request.bin"

load "$WARM"
for round in $(seq "$ROUNDS"); do
  callgrind_control -z "$server_pid" > /dev/null 2>&1
  callgrind_control -i on "$server_pid" > /dev/null 2>&1
  load "$N"
  callgrind_control -i off "$server_pid" > /dev/null 2>&1
  callgrind_control -d "$server_pid" > /dev/null 2>&1
done
sleep 1

figures=
misses=
for round in $(seq "$ROUNDS"); do
  # events: Ir (and with the cache simulation Dr Dw I1mr D1mr …): fields 2, 5 and 6 of `totals:`
  read -r total i1 d1 < <(grep -E '^totals:' "$work/cg.$round-01" | awk '{print $2, $5, $6}')
  figures="$figures $((total / N))"
  if [ "$CACHE_SIM" = 1 ]; then misses="$misses $((i1 / N))/$((d1 / N))"; fi
done
echo "$label: main-thread instructions per request, $ROUNDS rounds of $N:$figures"
if [ "$CACHE_SIM" = 1 ]; then echo "$label: L1 instruction / data-read misses per request:$misses"; fi
