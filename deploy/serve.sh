#!/usr/bin/env bash
# Start N dashboard processes on 127.0.0.1, ports PORT..PORT+N-1, all serving the store named by
# SENSUS_DB (default data/sensus.duckdb), for a load balancer in front (deploy/haproxy.cfg).
# A load replaces the store file in one rename; each process reads the new one from its next run.
# Ctrl-C (or a process exiting) stops them all.
#   usage: deploy/serve.sh [N=2] [PORT=8501]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2}
first_port=${2:-8501}

# Streamlit asks replicas to share one secret for the cookies it signs (sign-in).
export STREAMLIT_SERVER_COOKIE_SECRET=${STREAMLIT_SERVER_COOKIE_SECRET:-$(python -c 'import secrets; print(secrets.token_hex())')}

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait' EXIT
trap 'exit 0' INT TERM
for ((index = 0; index < count; index++)); do
    python -m streamlit run dashboard.py --server.headless=true --server.address=127.0.0.1 \
        --server.port=$((first_port + index)) --server.fileWatcherType=none &
    pids+=($!)
done
wait -n
