#!/usr/bin/env bash
# Installs what is missing, builds pip, and shows a few decisions on the
# embedded default policy.
source "$(dirname "$0")/common.sh"
pip_install_missing
pip_build_quietly
"$PIP_BUILD/tools/pipctl/pipctl" demo
