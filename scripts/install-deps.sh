#!/usr/bin/env bash
# Installs what leakbisect needs to build and test, from Debian 12's packages only.
set -euo pipefail
source "$(dirname "$0")/apt.sh"

install_missing install-deps \
  build-essential cmake \
  libboost1.81-dev libboost-filesystem1.81-dev libboost-json1.81-dev \
  libcli11-dev libtomlplusplus-dev libfmt-dev catch2 \
  libre2-dev pkg-config \
  help2man `# the man page, generated from the CLI's help at build time` \
  zlib1g-dev chromium fonts-dejavu-core `# the test that renders report.html and reads its screenshot's pixels`
