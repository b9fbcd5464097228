#!/usr/bin/env bash
# Installs the runtimes of the real example apps (examples/rails-orders, flask-invoices, node-catalog)
# from Debian 12's packages. Node is installed only when no `node` is on PATH (any Node >= 18 will do).
# A failed install is not fatal: the end-to-end test of an example whose runtime is missing says so
# and skips.
set -uo pipefail

packages=(ruby-rails puma ruby-sqlite3 python3-flask gunicorn)
command -v node >/dev/null 2>&1 || packages+=(nodejs)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-example-runtimes: everything is installed"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-example-runtimes: installing ${missing[*]}"
if ! { $sudo apt-get update -qq &&
       DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"; }; then
  echo "install-example-runtimes: WARNING: could not install ${missing[*]};" \
       "the end-to-end tests of the examples that need them will be skipped" >&2
fi
exit 0
