#!/bin/sh
# gendesk.sh [N] DIR: a desk of N synthetic entries (default 100000) in DIR,
# committed on main in one commit but not yet indexed. Deterministic: the
# same N gives the same files. Prints the seconds it took.
#
# Needs kb-init (in $KEFU_BIN or on PATH); the identity is $KEFU_USER,
# bench@example.com when unset.
set -eu

prog=gendesk
here=$(cd "$(dirname "$0")" && pwd)
case $# in
1) n=100000 dir=$1 ;;
2) n=$1 dir=$2 ;;
*) echo "usage: $prog [N] DIR" >&2; exit 2 ;;
esac
case $n in
'' | *[!0-9]*) echo "$prog: bad entry count '$n'" >&2; exit 2 ;;
esac
[ -n "${KEFU_BIN:-}" ] && PATH=$KEFU_BIN:$PATH
: "${KEFU_USER:=bench@example.com}"
export KEFU_USER PATH

if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
	echo "$prog: '$dir' exists and is not empty" >&2
	exit 2
fi

t0=$(date +%s.%N)
kb-init "$dir" >/dev/null
cd "$dir"
LC_ALL=C awk -v listcats=1 -f "$here/gendesk.awk" | while IFS= read -r c; do
	mkdir -p "kb/$c"
done
LC_ALL=C awk -v n="$n" -f "$here/gendesk.awk"
git add -A
# Without the hook kb-init installed: the index is built by whoever needs
# it (run.sh times that as kb-index --full; a first kb-search would too).
# Without git's automatic gc either, which would pack the loose objects in
# the background while the benchmarks run; pack them now instead, as an
# older desk would be.
git -c core.hooksPath=/dev/null -c gc.auto=0 -c user.name=bench \
	-c user.email="$KEFU_USER" commit -q -m "bench: $n synthetic entries"
git -c core.hooksPath=/dev/null gc --quiet
t1=$(date +%s.%N)
echo "$t0 $t1" | awk '{ printf "%.1f\n", $2 - $1 }'
