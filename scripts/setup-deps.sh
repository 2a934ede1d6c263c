#!/usr/bin/env bash
# Installs Attune's build and test dependencies from Debian 12 packages
# (bookworm, plus bookworm-backports for SQLCipher 4.6 and Catch2 3.7).
# Safe to run again: it only installs what is missing.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: run as root or install sudo" >&2; exit 1; fi
fi

export DEBIAN_FRONTEND=noninteractive

# Packages from bookworm proper.
BASE_PKGS=(
  build-essential cmake pkg-config git
  libimgui-dev libglfw3-dev libgl-dev libgl1-mesa-dri
  libsqlitecpp-dev nlohmann-json3-dev libstb-dev libssl-dev libsodium-dev
  libzxcvbn-dev  # passphrase strength estimates (core/passphrase_strength.h)
  libcairo2-dev fonts-dejavu-core
  zlib1g-dev  # BORIS projects saved gzipped (.boris.gz)
  libmpv-dev  # recordings: playback (libsodium-dev above encrypts them at rest)
  ffmpeg  # tests only: makes the test recordings at test time
  xvfb xauth poppler-utils
  lintian desktop-file-utils appstream librsvg2-bin
  clang-14 libclang-rt-14-dev  # libFuzzer and the sanitizer runtimes (scripts/sanitize-and-fuzz.sh)
  ccache  # rebuilds of unchanged sources (also in a fresh clone) come from its cache
  libpqxx-dev  # the practice server's client (src/store/practice_server.cpp, issue 21); brings libpq-dev
  postgresql-15  # tests only: the server tests start a throwaway cluster of their own (tests/server)
  openssl  # tests only: that cluster's throwaway CA and TLS certificate (tests/server/throwaway_cluster.sh)
)
# Packages that must come from bookworm-backports.
BACKPORT_PKGS=(libsqlcipher-dev catch2 sqlcipher)  # sqlcipher: the shell that opens a practice with its raw key (README, getting the data out; tests)

missing=()
for p in "${BASE_PKGS[@]}" "${BACKPORT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The backports must be the right versions, not bookworm's older ones.
catch2_ok=$(dpkg-query -W -f='${Version}' catch2 2>/dev/null | grep -c '^3' || true)
sqlcipher_ok=$(dpkg-query -W -f='${Version}' libsqlcipher-dev 2>/dev/null | grep -c '^4\.6' || true)

if [ ${#missing[@]} -eq 0 ] && [ "$catch2_ok" = 1 ] && [ "$sqlcipher_ok" = 1 ]; then
  echo "setup: all dependencies present"
  exit 0
fi

if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  # Use the same Debian mirror the machine already uses for bookworm.
  mirror=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/debian.sources | head -n1 | awk '{print $2}')
  [ -n "$mirror" ] || mirror=$(grep -hsE '^deb .* bookworm ' /etc/apt/sources.list | head -n1 | awk '{print $2}')
  if [ -z "$mirror" ]; then
    echo "setup: cannot find the bookworm mirror to add bookworm-backports; add it to apt's sources and re-run" >&2
    exit 1
  fi
  echo "setup: enabling bookworm-backports from $mirror"
  echo "deb $mirror bookworm-backports main" | \
    $SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
fi

# postgresql-15 is for the tests only: they start throwaway clusters of their
# own. Installed for the first time, Debian would also create a "main" cluster
# and start it on port 5432; a setting that lives only during the install says
# not to (a server the machine already has is left alone).
pg_setup_conf=/etc/postgresql-common/createcluster.d/attune-setup.conf
if ! dpkg-query -W -f='${Status}' postgresql-15 2>/dev/null | grep -q "install ok installed"; then
  $SUDO mkdir -p "$(dirname "$pg_setup_conf")"
  echo "create_main_cluster = false" | $SUDO tee "$pg_setup_conf" >/dev/null
  trap '$SUDO rm -f "$pg_setup_conf"' EXIT
fi

$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${BASE_PKGS[@]}"
$SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports "${BACKPORT_PKGS[@]}"
echo "setup: dependencies installed"
