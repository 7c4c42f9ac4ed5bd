#!/bin/sh
# src/lib/README maps the library, one line a file in groups from the
# bottom layer up: the map names every file and no other, and no file
# includes a header of a group listed after its own.
. "$(dirname "$0")/lib.sh"

LIB=$KEFU_SRC/src/lib

# "FILE GROUP" for each file of the map: a line at the margin starts a
# group (or a paragraph: the numbers only grow).
awk '/^[A-Z]/ { n++ } /^  [a-z][a-z0-9-]*\.[ch] / { print $1, n }' "$LIB/README" >map
cut -d' ' -f1 map | sed 's/\.[ch]$//' | LC_ALL=C sort >mapped

test_expect_success 'the map of src/lib names every file of it, once' '
	test -s map &&
	for f in "$LIB"/*.[ch]; do
		f=${f##*/}; f=${f%.?}
		echo "$f"
	done | LC_ALL=C sort -u >files &&
	LC_ALL=C sort -u mapped >mapped-once &&
	test_cmp mapped-once mapped &&
	test_cmp files mapped
'

test_expect_success 'no file of src/lib includes a header of a later group' '
	sed "s/\.[ch] / /" map >groups &&
	for f in "$LIB"/*.[ch]; do
		b=${f##*/}; b=${b%.?}
		sed -n "s/^#include \"\([a-z0-9-]*\)\.h\"$/\1/p" "$f" | while read -r inc; do
			echo "$b $inc"
		done
	done >includes &&
	awk "NR == FNR { g[\$1] = \$2; next }
	     (\$2 in g) && g[\$2] > g[\$1] { print \$1 \" includes \" \$2 \".h\"; bad = 1 }
	     END { exit bad }" groups includes
'

test_done
