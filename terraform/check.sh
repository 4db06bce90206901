#!/usr/bin/env bash
# Static checks of the Terraform code (no terraform binary can be installed here):
# parses every .tf file with @cdktf/hcl2json, checks required resources, cross
# references and scans for committed secrets. CI runs: bash terraform/check.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

node --test test/
