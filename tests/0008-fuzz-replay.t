#!/bin/sh
# The fuzz corpora (tests/fuzz/corpus/NAME) replayed through their
# harnesses (tests/fuzz/fuzz-NAME.c) by the replay driver, so that every
# input a fuzzer ever kept, and every crash it found, is run by each
# `make test` and under the sanitizers by `make check`. A harness aborts
# when a parser breaks one of its promises; the log names the input.
. "$(dirname "$0")/lib.sh"

for name in mail json entry calendar query; do
	test_expect_success "the $name corpus replays cleanly" '
		"$KEFU_BUILD/tests/fuzz-$name" "$KEFU_SRC/tests/fuzz/corpus/$name" >out &&
		n=$(ls "$KEFU_SRC/tests/fuzz/corpus/$name" | wc -l) &&
		test "$n" -gt 0 &&
		echo "replayed $n inputs" >expect &&
		test_cmp expect out
	'
done

test_done
