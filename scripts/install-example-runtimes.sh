#!/usr/bin/env bash
# Installs the runtimes of the real example apps (examples/rails-orders, flask-invoices, node-catalog)
# from Debian 12's packages. Node is installed only when no `node` is on PATH (any Node >= 18 will do).
# A failed install is not fatal: the end-to-end test of an example whose runtime is missing says so
# and skips.
set -uo pipefail
source "$(dirname "$0")/apt.sh"

packages=(ruby-rails puma ruby-sqlite3 python3-flask gunicorn)
command -v node >/dev/null 2>&1 || packages+=(nodejs)

if ! install_missing install-example-runtimes "${packages[@]}"; then
  echo "install-example-runtimes: WARNING: could not install all of ${packages[*]};" \
       "the end-to-end tests of the examples that need them will be skipped" >&2
fi
exit 0
