#!/usr/bin/env bash
# A/B of two acctd binaries (wrk, curl, python3): alternately, each on a fresh SQLite file
# with one account, wrk -t2 -c64 -d5s on /healthz, /v1/me and /v1/me/sessions; prints req/s
# and the server's CPU time per request (utime+stime from /proc), steadier than req/s on a
# shared machine.   ROUNDS=3 benches/tools/wrk-ab.sh OLD_ACCTD NEW_ACCTD
set -u
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
hz=$(getconf CLK_TCK)
one() { # pid url [token]
  local before after out n
  before=$(cpu $1)
  if [ -n "${3:-}" ]; then out=$(wrk -t2 -c64 -d5s -H "Authorization: Bearer $3" $2); else out=$(wrk -t2 -c64 -d5s $2); fi
  after=$(cpu $1)
  n=$(echo "$out" | awk '/requests in/{print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  python3 -c "print(f'{float($rps):8,.0f} req/s {1e6*($after-$before)/$hz/$n:5.1f} us/req', end='')"
}
run() { # bin label port
  bin=$1; label=$2; port=$3
  dir=$(mktemp -d)
  $bin serve --database "sqlite://$dir/a.db" --listen 127.0.0.1:$port >$dir/log 2>&1 &
  pid=$!
  for i in $(seq 50); do curl -fs http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done
  curl -fs -X POST -H 'content-type: application/json' -d '{"email":"a@b.co","password":"correct horse battery staple","name":"A","device_name":"bench"}' http://127.0.0.1:$port/v1/auth/signup >/dev/null || echo signup failed
  tok=$(curl -fs -X POST -H 'content-type: application/json' -d '{"email":"a@b.co","password":"correct horse battery staple","device_name":"bench"}' http://127.0.0.1:$port/v1/auth/login | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  echo -n "$label  healthz "; one $pid http://127.0.0.1:$port/healthz
  echo -n "  | me "; one $pid http://127.0.0.1:$port/v1/me $tok
  echo -n "  | sessions "; one $pid http://127.0.0.1:$port/v1/me/sessions $tok
  echo
  kill $pid; wait $pid 2>/dev/null; rm -rf $dir
}
for r in $(seq ${ROUNDS:-3}); do
  run $1 old 18081
  run $2 new 18082
done
