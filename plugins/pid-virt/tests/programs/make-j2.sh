#!/bin/bash
# `make -j2` of tests/programs/make-project in a copy under WORK_DIR, then the result.
# Usage: make-j2.sh TESTS_DIR WORK_DIR
set -e
cp -r "$1/make-project" "$2/make-project"
make -C "$2/make-project" -j2
cat "$2/make-project/prog"
