#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
# Install it when missing and we may (root); otherwise the e2e tests skip with a loud reason.
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests ..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
    || echo "WARNING: could not install chromium; browser tests will be skipped" >&2
else
  echo "WARNING: chromium is missing and cannot be installed (not root); browser tests will skip" >&2
fi
exit 0
