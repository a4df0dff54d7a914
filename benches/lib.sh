# Shared by the benchmark scripts (sourced, not run).

# Installs from Debian the packages of the commands that are missing: `install_missing
# command:package ...` (a command in /usr/sbin counts as present); puts /usr/sbin on the PATH.
install_missing() {
  local need=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || need+=("${pair#*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]} ..." >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  export PATH="$PATH:/usr/sbin"
}

# Prints the build to measure: PRIVGATE_BIN when set (a given build, e.g. to compare two
# commits with the same script), else a release build of this checkout, built first.
privgate_bin() {
  if [ -n "${PRIVGATE_BIN:-}" ]; then
    echo "$PRIVGATE_BIN"
  else
    cargo build --release --quiet --bin privgate
    echo "$PWD/target/release/privgate"
  fi
}
