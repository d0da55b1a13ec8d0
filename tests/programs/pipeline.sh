#!/bin/bash
# producer | filter | consumer: numbers flow through two pipes between three
# processes (and bash waits for all three). Usage: pipeline.sh PROGRAMS_DIR
exec /bin/bash -c "$1/counter 120 50 | cat | cat"
