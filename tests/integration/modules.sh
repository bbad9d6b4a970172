#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The modules' dependencies point one way (shared/STYLE.md, "Dependencies
# point one way"): the graph of src/ folders, an edge for each
# `#include "../OTHER/..."`, has no cycle; and the two cycles that were
# there stay cut: the trace format needs nothing of the sensor (struct
# sample lives in util/sample.h), and the station's loop (app/) nothing of
# the command line (cli/: its exits, its clock, its configuration loader).
cd "$(dirname "$0")/../.." || exit 1
n=0
ok() { n=$((n + 1)); echo "ok $n - modules: $*"; }
notok() { n=$((n + 1)); echo "not ok $n - modules: $*"; }

edges=$(for f in src/*/*.[ch]; do
    m=$(echo "$f" | cut -d/ -f2)
    sed -n 's|^#include "\.\./\([a-z_]*\)/.*|\1|p' "$f" | sort -u | while read -r d; do
        [ "$d" != "$m" ] && echo "$m $d"
    done
done | sort -u)
if loop=$(echo "$edges" | tsort 2>&1 >/dev/null) && [ -z "$loop" ]; then
    ok "the include graph of src/ has no cycle ($(echo "$edges" | wc -l) edges between $(echo "$edges" | tr ' ' '\n' | sort -u | wc -l) modules)"
else
    notok "a cycle between modules: $(echo "$loop" | sed -n 's/^tsort: \([a-z_]*\)$/\1/p' | tr '\n' ' ')"
fi

bad=$(grep -ln '#include "\.\./sensor/' src/trace/*.[ch])
if [ -z "$bad" ]; then ok "trace/ includes no sensor header"; else notok "trace/ includes sensor headers: $bad"; fi
grep -q '^struct sample {' src/util/sample.h && ! grep -q '#include' src/util/sample.h &&
    ok "struct sample is in util/sample.h, which includes nothing" ||
    notok "util/sample.h: struct sample with no includes"

bad=$(grep -ln '#include "\.\./cli/' src/app/*.[ch])
if [ -z "$bad" ]; then ok "app/ includes no cli header"; else notok "app/ includes cli headers: $bad"; fi
bad=$(grep -n '\bcli_[a-z_]*(' src/app/*.c | grep -v '^[^:]*:[0-9]*: *\(/\*\|\*\)')
if [ -z "$bad" ]; then ok "app/ calls no cli_* helper (no cli_load_config_or_die)"; else notok "app/ calls cli helpers: $bad"; fi
bad=$(grep -n '\b\(exit\|_exit\|die\|die_perror\)(' src/app/*.c)
if [ -z "$bad" ]; then ok "app/ never exits the process: errors are returned, teardown runs"; else notok "app/ exits: $bad"; fi
