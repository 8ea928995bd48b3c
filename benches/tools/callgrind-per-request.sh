#!/usr/bin/env bash
# Instructions per request, user space (valgrind callgrind; repeatable whatever else the
# machine runs): N keep-alive requests of PATH on one connection, less a run with none.
#   benches/tools/callgrind-per-request.sh ACCTD_BINARY PATH [N]
bin=$1; path=$2; n=${3:-2000}
dir=$(mktemp -d); port=$((18100 + RANDOM % 500))
$bin serve --database "sqlite://$dir/a.db" --listen 127.0.0.1:$port >/dev/null 2>&1 & pid=$!; sleep 1
curl -fs -X POST -H 'content-type: application/json' -d '{"email":"a@b.co","password":"correct horse battery staple","name":"A","device_name":"bench"}' http://127.0.0.1:$port/v1/auth/signup >/dev/null
tok=$(curl -fs -X POST -H 'content-type: application/json' -d '{"email":"a@b.co","password":"correct horse battery staple","device_name":"bench"}' http://127.0.0.1:$port/v1/auth/login | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
kill $pid; wait $pid 2>/dev/null
count() { # n -> total instructions
  valgrind --tool=callgrind --callgrind-out-file=$dir/cg.$1 $bin serve --database "sqlite://$dir/a.db" --listen 127.0.0.1:$port >/dev/null 2>&1 & vpid=$!
  for i in $(seq 100); do curl -fs -o /dev/null http://127.0.0.1:$port/v1/meta && break; sleep 0.3; done
  if [ "$1" -gt 0 ]; then curl -s -H "Authorization: Bearer $tok" $(for i in $(seq $1); do echo -n "-o /dev/null http://127.0.0.1:$port$path "; done); fi
  kill -INT $vpid; wait $vpid 2>/dev/null
  callgrind_annotate $dir/cg.$1 2>/dev/null | awk '/PROGRAM TOTALS/{gsub(",","",$1); print $1}'
}
a=$(count 0); b=$(count $n)
echo "$path: $(( (b - a) / n )) instructions/request ($bin)"
rm -rf $dir
