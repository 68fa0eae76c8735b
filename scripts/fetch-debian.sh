#!/usr/bin/env bash
# Fetches Debian 13 (trixie) packages for the guest side of ovm (firmware now; the riscv64 kernel and
# busybox later) and unpacks each into .ovm-cache/debian/trixie/<package>/.
#
#   scripts/fetch-debian.sh [--arch ARCH] PACKAGE...      (default arch: all/native, e.g. opensbi)
#
# The archive's address is read from this machine's own apt configuration (the first Debian URI in
# /etc/apt/sources.list or /etc/apt/sources.list.d/); nothing else is contacted. apt runs with a
# private state folder, so the machine's package lists and installed packages are not touched.
# Prints the folder of each unpacked package; cached packages are not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."
suite=trixie
arch=""
if [ "${1:-}" = "--arch" ]; then arch=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: scripts/fetch-debian.sh [--arch ARCH] PACKAGE..." >&2; exit 2; }

archive_uri() {
  local f uri
  # deb822 .sources files: the URIs of a stanza whose Suites are not a security suite
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk 'BEGIN{RS=""} /Suites:/ && !/security/ && /URIs:/ {
                 for (i = 1; i <= NF; i++) if ($i == "URIs:") { print $(i + 1); exit } }' "$f")
    case "$uri" in *debian*) echo "$uri"; return 0;; esac
  done
  # one-line format
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1 == "deb" && $3 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' "$f")
    case "$uri" in *debian*) echo "$uri"; return 0;; esac
  done
  return 1
}

cache=.ovm-cache/debian/$suite
apt_dir=.ovm-cache/apt-$suite
todo=()
for p in "$@"; do [ -d "$cache/$p" ] || todo+=("$p"); done
if [ ${#todo[@]} -gt 0 ]; then
  uri=$(archive_uri) || { echo "fetch-debian: no Debian archive found in this machine's apt configuration" >&2; exit 1; }
  mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc" "$cache"
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" "$suite" > "$apt_dir/etc/$suite.sources"
  opts=(-o "Dir::State=$PWD/$apt_dir/state" -o "Dir::Cache=$PWD/$apt_dir/cache"
        -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$PWD/$apt_dir/etc"
        -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  [ -n "$arch" ] && opts+=(-o "APT::Architectures::=$arch" -o "APT::Architecture=$arch")
  echo "fetch-debian: reading the $suite package lists from $uri" >&2
  apt-get "${opts[@]}" -q update >&2
  for p in "${todo[@]}"; do
    echo "fetch-debian: downloading $p" >&2
    (cd "$apt_dir" && apt-get "${opts[@]}" -q download "$p" >&2)
    deb=$(ls -t "$apt_dir"/"${p}"_*.deb | head -n 1)
    mkdir -p "$cache/$p.tmp" && dpkg-deb -x "$deb" "$cache/$p.tmp" && mv "$cache/$p.tmp" "$cache/$p"
  done
fi
for p in "$@"; do echo "$PWD/$cache/$p"; done
