# Shared by scripts/demo.sh and scripts/test.sh: install what is missing and
# build. Sourced, not run.
set -euo pipefail

PIP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PIP_BUILD="${PIP_BUILD:-$PIP_ROOT/build}"

# Debian packages pip builds and tests with.
PIP_PACKAGES=(cmake g++ ninja-build pkg-config
  libabsl-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev libbenchmark-dev libssl-dev openssl
  pybind11-dev python3-dev python3-pytest python3-protobuf
  python3-numpy python3-pandas python3-dask python3-distributed
  python3-setuptools python3-wheel python3-build python3-venv python3-pip mypy
  libsqlite3-dev sqlite3 libcli11-dev lld
  openjdk-17-jdk-headless junit5)
# A browser, and a Japanese font for it, that lay out the HTML notice of
# `pipctl render` in tests/notice_browser_test.sh (headless, no display).
PIP_PACKAGES+=(chromium fonts-ipafont-gothic)
# PostgreSQL 15, server and psql: `pipctl sql`'s predicate is tested on a
# server of its own (tools/pipctl/sql_postgres_test.sh).
PIP_PACKAGES+=(postgresql)

# Node.js and its Node-API headers, for bindings/node: Debian's nodejs and
# libnode-dev (/usr/include/node/node_api.h), installed only when node or
# the header is missing, so that a node already installed otherwise
# (another repository, a tarball in /usr/local) is never replaced.
pip_node_missing() {
  command -v node >/dev/null 2>&1 || echo nodejs
  [ -f /usr/include/node/node_api.h ] || [ -f /usr/local/include/node/node_api.h ] \
    || echo libnode-dev
}

pip_install_missing() {
  local missing=()
  for p in "${PIP_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  local pkg
  for pkg in $(pip_node_missing); do missing+=("$pkg"); done
  if ((${#missing[@]})); then
    echo "Installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    # openjdk's packages install manual pages and fail where a slim image
    # has removed their folder.
    $sudo mkdir -p /usr/share/man/man1
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

# A build from scratch: each layer of libpip compiled as one file
# (PIP_UNITY_BUILD, CMakeLists.txt), in about half the time.
pip_build() {
  cmake -S "$PIP_ROOT" -B "$PIP_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPIP_UNITY_BUILD=ON "$@" >/dev/null
  cmake --build "$PIP_BUILD" -j "$(nproc)"
}

# The same, printing the compiler's output only when the build fails.
pip_build_quietly() {
  echo "Building pip (log: $PIP_BUILD/build.log)..."
  mkdir -p "$PIP_BUILD"
  if ! pip_build "$@" > "$PIP_BUILD/build.log" 2>&1; then
    cat "$PIP_BUILD/build.log"
    return 1
  fi
}

# Configures, builds and tests preset $1 of CMakePresets.json (asan, tsan).
pip_build_sanitized() {
  (cd "$PIP_ROOT" &&
    cmake --preset "$1" >/dev/null &&
    cmake --build --preset "$1" -j "$(nproc)" &&
    ctest --preset "$1" -j "$(nproc)")
}
