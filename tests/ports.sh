# Sourced by .ci/run and tests/bench/with-postgres: a loopback port for a
# throw-away PostgreSQL server.
#
# Below Linux's ephemeral range (32768-60999): a port there can be held for a
# moment by any test's client socket or browser, and once, just after the
# browser tests, CI's fixed 55432 was ("Address already in use").

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first free port of the 51 from $1; fails when all are taken.
first_free_port() {
  local candidate
  for candidate in $(seq "$1" $(($1 + 50))); do
    if port_free "$candidate"; then echo "$candidate"; return 0; fi
  done
  echo "no free port for PostgreSQL in $1-$(($1 + 50))" >&2
  return 1
}
