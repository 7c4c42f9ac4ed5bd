# tests/fuzz/fuzz.mk: the fuzz harnesses, included by the Makefile.
#
# Each tests/fuzz/fuzz-NAME.c is built twice:
#  - by $(CC) with replay.c as $(B)/tests/fuzz-NAME, which `make test`
#    runs over tests/fuzz/corpus/NAME (tests/0008-fuzz-replay.t), and
#    `make check` again under the sanitizers;
#  - by clang with libFuzzer, AddressSanitizer and UBSan as
#    build/fuzz/fuzz-NAME, which `make fuzz` runs FUZZ_TIME seconds each
#    from the corpus. New inputs go to build/fuzz/corpus/NAME and crashes
#    to build/fuzz/crash-NAME-*: to keep one, copy it into the corpus.
# The corpora began as the test fixtures (mail), the sample desk's
# entries and calendars, the unit case tables and kefu's own JSON, then
# took in the inputs the fuzzers found that reach code nothing else did:
#   build/fuzz/fuzz-NAME -merge=1 -use_counters=0 -max_len=1024 \
#       tests/fuzz/corpus/NAME build/fuzz/corpus/NAME
FUZZERS = mail json entry calendar query
FUZZ_TIME = 60
FUZZ_FLAGS = -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_CC = clang
FUZZ_B = build/fuzz
FUZZ_SAN = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# clang's -Wformat=2 also wants format attributes on vsnprintf wrappers.
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Wno-format-nonliteral \
	-iquote src/lib -iquote tests/fuzz $(PKG_CFLAGS) $(FUZZ_SAN)
FUZZ_REPLAY := $(FUZZERS:%=$(B)/tests/fuzz-%)

$(B)/tests/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(B)/libkefu.a $(GIT_OBJS)
	$(call say,LD,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) -iquote tests/fuzz $(LDFLAGS) -o $@ \
		tests/fuzz/fuzz-$*.c tests/fuzz/replay.c \
		$(B)/libkefu.a -Wl,--as-needed $(GIT_LINK) $(CORE_LIBS)

# In the make that builds the instrumented library, B is FUZZ_B.
ifneq ($(B),$(FUZZ_B))
FUZZ_BINS := $(FUZZERS:%=$(FUZZ_B)/fuzz-%)

$(FUZZ_B)/libkefu.a: FORCE
	$(Q)echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return !d + !n; }' | \
	$(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null || { \
		echo "fuzz: needs clang with libFuzzer: apt-get install clang libclang-rt-14-dev" >&2; \
		exit 2; }
	$(Q)$(MAKE) -s --no-print-directory B=$(FUZZ_B) CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link -Wno-format-nonliteral" $@

$(FUZZ_B)/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h $(FUZZ_B)/libkefu.a $(GIT_OBJS)
	$(call say,LD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_B)/libkefu.a $(GIT_LINK) $(CORE_LIBS)

# clang first, before anything is built with it.
fuzz:
	$(Q)sh src/tools/deps.sh fuzz
	$(Q)$(MAKE) --no-print-directory fuzz-run

# Each fuzzer in turn; a crash stops none of the others, but fails.
fuzz-run: $(FUZZ_BINS)
	$(Q)failed=; for f in $(FUZZERS); do \
		echo "== fuzz-$$f, $(FUZZ_TIME) s"; \
		mkdir -p $(FUZZ_B)/corpus/$$f; \
		$(FUZZ_B)/fuzz-$$f $(FUZZ_FLAGS) -max_total_time=$(FUZZ_TIME) \
			-artifact_prefix=$(FUZZ_B)/crash-$$f- \
			$(FUZZ_B)/corpus/$$f tests/fuzz/corpus/$$f \
			>$(FUZZ_B)/fuzz-$$f.log 2>&1 || failed="$$failed $$f"; \
		grep -E '#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|SUMMARY|Test unit written' \
			$(FUZZ_B)/fuzz-$$f.log; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "fuzz: failed:$$failed (see $(FUZZ_B)/fuzz-NAME.log)" >&2; exit 1; fi

FORCE:
.PHONY: fuzz fuzz-run FORCE
endif
