#!/usr/bin/env bash
# Installs what leakbisect needs to build and test, from Debian 12's packages only.
set -euo pipefail

packages=(
  build-essential cmake
  libboost1.81-dev libboost-filesystem1.81-dev libboost-json1.81-dev
  libcli11-dev libtomlplusplus-dev libfmt-dev catch2
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
