#!/usr/bin/env bash
# Installs what is missing, builds pip, and runs every test.
source "$(dirname "$0")/common.sh"
pip_install_missing
pip_build
ctest --test-dir "$PIP_BUILD" --output-on-failure -j "$(nproc)"
