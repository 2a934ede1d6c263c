#!/usr/bin/env bash
# check_package.sh BUILD_DIR: Attune installs into a Linux desktop and
# packages as a .deb that Debian's tools accept.
#   1. `cmake --install` into a DESTDIR puts every file in its standard place;
#   2. the desktop entry and AppStream metadata validate;
#   3. `cpack -G DEB` builds the package, with the declared dependencies;
#   4. lintian (if installed) finds no errors;
#   5. as root: `dpkg -i`, run /usr/bin/attune --help from there, `dpkg -r`.
# Reuses the build dir (no rebuild beyond the compressed man page).
set -euo pipefail

build_dir=$(cd "${1:?usage: check_package.sh BUILD_DIR}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/attune-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
step() { echo "--- $*"; }

[ -x "$build_dir/src/attune" ] || { echo "FAIL: $build_dir/src/attune is not built" >&2; exit 1; }
cmake --build "$build_dir" --target attune_docs >/dev/null

step "install into a DESTDIR"
stage="$work/stage"
DESTDIR="$stage" cmake --install "$build_dir" --prefix /usr >"$work/install.log"
expected=(
  usr/bin/attune
  usr/share/attune/coding_scheme.json
  usr/share/attune/icons/attune-48.png
  usr/share/applications/attune.desktop
  usr/share/metainfo/org.attune.Attune.metainfo.xml
  usr/share/icons/hicolor/scalable/apps/attune.svg
  usr/share/icons/hicolor/48x48/apps/attune.png
  usr/share/icons/hicolor/128x128/apps/attune.png
  usr/share/icons/hicolor/256x256/apps/attune.png
  usr/share/man/man1/attune.1.gz
  usr/share/bash-completion/completions/attune
  usr/share/doc/attune/copyright
  usr/share/doc/attune/changelog.gz
)
for f in "${expected[@]}"; do
  [ -f "$stage/$f" ] || fail "not installed: /$f"
done
# Nothing for the desktop integration belongs in share/attune, nothing outside /usr.
for f in attune.desktop attune.metainfo.xml attune.1 completion icons/attune.svg; do
  [ ! -e "$stage/usr/share/attune/$f" ] || fail "installed twice: /usr/share/attune/$f"
done
outside=$(cd "$stage" && find . -mindepth 1 -maxdepth 1 ! -name usr)
[ -z "$outside" ] || fail "installed outside /usr: $outside"
for size in 48 128 256; do
  png="$stage/usr/share/icons/hicolor/${size}x${size}/apps/attune.png"
  # PNG header: width and height are big-endian at bytes 16..23.
  dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{print $3*256+$4 "x" $7*256+$8}')
  [ "$dims" = "${size}x${size}" ] || fail "$png is $dims, not ${size}x${size}"
done
if command -v man >/dev/null; then
  man_warnings=$(MANWIDTH=80 man --warnings -l "$stage/usr/share/man/man1/attune.1.gz" 2>&1 >/dev/null || true)
  [ -z "$man_warnings" ] || fail "man page warnings: $man_warnings"
  for section in NAME SYNOPSIS DESCRIPTION COMMANDS ENVIRONMENT FILES "EXIT STATUS"; do
    zcat "$stage/usr/share/man/man1/attune.1.gz" | grep -q "^\.SH \"\?$section" || fail "man page lacks $section"
  done
fi
bash -n "$stage/usr/share/bash-completion/completions/attune" || fail "bash completion has a syntax error"
# Every command of this build appears in the man page (generically described ones aside).
"$build_dir/src/attune" --help | sed -n '/^Commands:/,/^$/{s/^  \([a-z][a-z -]*[a-z]\)  .*/\1/p}' >"$work/commands"
[ -s "$work/commands" ] || fail "no commands found in attune --help"
while read -r command; do
  zcat "$stage/usr/share/man/man1/attune.1.gz" | sed 's/\\-/-/g' | grep -qF -- "$command" ||
    echo "note: command '$command' is not named in the man page (covered by 'other commands')"
done <"$work/commands"

step "validate the desktop entry and AppStream metadata"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$stage/usr/share/applications/attune.desktop" || fail "desktop-file-validate"
else
  echo "skip: desktop-file-validate not installed (apt-get install desktop-file-utils)"
fi
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "$stage/usr/share/metainfo/org.attune.Attune.metainfo.xml" ||
    fail "appstreamcli validate"
else
  echo "skip: appstreamcli not installed (apt-get install appstream)"
fi

step "build the .deb"
(cd "$work" && cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/deb" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack -G DEB"; exit 1; }
deb=$(ls "$work"/deb/attune_*.deb)
dpkg-deb --field "$deb" Package Version Section Maintainer Depends Recommends
depends=$(dpkg-deb --field "$deb" Depends)
for dependency in libsqlcipher1 libglfw3 libstdc++6 libc6 libsodium23 libzxcvbn0 libcairo2 libmpv2 fonts-dejavu-core libgl1; do
  grep -q "$dependency" <<<"$depends" || fail "Depends lacks $dependency: $depends"
done
dpkg-deb --contents "$deb" | awk '{print $6}' | grep -q '^./usr/bin/attune$' || fail "the .deb lacks /usr/bin/attune"

if command -v lintian >/dev/null; then
  step "lintian"
  lintian_out=$(lintian --tag-display-limit 0 "$deb" 2>&1 || true)
  [ -z "$lintian_out" ] || echo "$lintian_out"
  if grep -q '^E:' <<<"$lintian_out"; then fail "lintian reports errors"; fi
else
  echo "skip: lintian not installed (apt-get install lintian)"
fi

if [ "$(id -u)" -eq 0 ] && command -v dpkg >/dev/null; then
  step "dpkg -i, run, dpkg -r"
  if dpkg-query -W -f='${Status}' attune 2>/dev/null | grep -q "install ok installed"; then
    echo "skip: an attune package is installed already; not replacing it"
  elif dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
    help=$(cd / && env -u ATTUNE_ASSETS_DIR /usr/bin/attune --help) || fail "/usr/bin/attune --help failed"
    grep -q "Usage: attune" <<<"$help" || fail "/usr/bin/attune --help printed no usage"
    [ -f /usr/share/attune/coding_scheme.json ] || fail "the package did not install the coding scheme"
    dpkg -r attune >>"$work/dpkg.log" 2>&1 || fail "dpkg -r attune"
    [ ! -e /usr/bin/attune ] || fail "/usr/bin/attune still there after dpkg -r"
  else
    cat "$work/dpkg.log" >&2
    fail "dpkg -i (missing runtime dependencies?)"
    dpkg -r attune >/dev/null 2>&1 || true
  fi
else
  echo "skip: dpkg -i / dpkg -r need root"
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures packaging check(s) failed" >&2
  exit 1
fi
echo "packaging: all checks passed"
