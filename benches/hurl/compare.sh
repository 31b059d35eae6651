#!/bin/sh
# konform's whole run (reports included) against `hurl --test --jobs 2` (no reports) on the
# same cases and the same server (`konform serve`). See README.md beside this file.
set -eu
KONFORM=${KONFORM:-target/release/konform}
HURL=${HURL:-hurl}
PORT=${PORT:-8190}
SHARD=${SHARD:-1/3}            # 1/3 of the shipped corpus: about 500 hand-written cases
JOBS=${JOBS:-2}
WORK=$(mktemp -d)
export KONFORM_CLIENT_SECRET=bench-secret-0123456789
export KONFORM_VENDOR_SECRET=$KONFORM_CLIENT_SECRET

"$KONFORM" serve --addr 127.0.0.1:$PORT --test-mode >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 1

sed -e "s|http://127.0.0.1:8181|http://127.0.0.1:$PORT|" -e '/^citizen_pool:/d' \
    examples/second-reference/target.yaml >"$WORK/target.yaml"
RUN="$KONFORM run --target $WORK/target.yaml --no-generated --shard $SHARD --jobs $JOBS --allow-incomplete"

# The request mix, recorded once (CPR numbers shown: they are test citizens of this server).
$RUN --show-cpr --out "$WORK/recorded" >/dev/null
python3 benches/hurl/to_hurl.py "$WORK/recorded/summary.json" "$WORK/hurl" \
    "http://127.0.0.1:$PORT/oauth2/token" "$KONFORM_CLIENT_SECRET"

time_it() { # prints the wall seconds of "$@"
    start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N)
    echo "$end - $start" | bc
}
for round in 1 2 3; do
    k=$(time_it $RUN --out "$WORK/konform-$round")
    h=$(time_it "$HURL" --test --jobs "$JOBS" --variables-file "$WORK/hurl/variables.env" "$WORK"/hurl/*.hurl)
    echo "round $round: konform run (reports included) ${k}s, hurl --test --jobs $JOBS ${h}s"
done
"$HURL" --test --jobs "$JOBS" --variables-file "$WORK/hurl/variables.env" "$WORK"/hurl/*.hurl 2>&1 | tail -3
