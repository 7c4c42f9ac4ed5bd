# kefu: one plain Makefile. `make V=1` shows the commands.
VERSION = 0.1.0

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DOCDIR = $(PREFIX)/share/doc/kefu
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR = $(PREFIX)/share/fish/vendor_completions.d
DESTDIR =

CC = cc
CFLAGS = -O2 -g
LDFLAGS =
# Objects and binaries go here; `make check` builds a sanitizer copy too.
B = build
BIN = bin

# Commands that need libgit2; the others never load it.
GIT_CMDS = kb-init kb-index kb-lint kb-show kb-propose kb-approve kb-reject kb-proposals kb-diff kb-log kb-receive ticket-open ticket-route ticket-claim ticket-update ticket-close ticket-reopen ticket-show ticket-list agent-status kb-use sla-check sla-due
CMDS = agent-status kb-approve kb-diff kb-index kb-init kb-lint kb-log kb-propose kb-proposals kb-receive kb-reject kb-search kb-show kb-use sla-check sla-due ticket-claim ticket-close ticket-list ticket-open ticket-reopen ticket-route ticket-show ticket-update
UNITS = tokenizer entry isotime mail calendar treediff terms
# Linked statically: kb-search runs once a keystroke, and the dynamic
# loader is a fifth of its time. `make STATIC_CMDS=` links it like the
# rest (the sanitizer build does).
STATIC_CMDS = kb-search

PKG_CFLAGS := $(shell pkg-config --cflags sqlite3 yaml-0.1 libgit2 2>/dev/null)
CORE_LIBS := $(shell pkg-config --libs sqlite3 yaml-0.1 2>/dev/null) -lm -pthread
GIT_LIBS := $(shell pkg-config --libs libgit2 2>/dev/null)

WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla -Wformat=2
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -iquote src/lib -iquote $(B) $(PKG_CFLAGS) $(CFLAGS)
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

ifeq ($(V),1)
Q =
say =
else
Q = @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

LIB_SRCS := $(sort $(wildcard src/lib/*.c))
LIB_OBJS := $(LIB_SRCS:src/lib/%.c=$(B)/lib/%.o) $(B)/sample.o $(B)/hooks.o
SAMPLE_FILES := $(shell find kb workflows -type f 2>/dev/null | LC_ALL=C sort)
HOOK_FILES := $(sort $(wildcard src/hooks/*))
BINS := $(CMDS:%=$(BIN)/%)
UNIT_BINS := $(UNITS:%=$(B)/tests/%)

all: $(BINS)

$(B)/lib/%.o: src/lib/%.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/cmd/%.o: src/cmd/%.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The sample desk is compiled in, so an installed kb-init needs no tree.
$(B)/embed: src/tools/embed.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D) && $(CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -O2 -o $@ $<

$(B)/sample.c: $(B)/embed $(SAMPLE_FILES)
	$(call say,GEN,$@)
	$(Q)$(B)/embed sample $(SAMPLE_FILES) > $@.tmp && mv $@.tmp $@

$(B)/hooks.c: $(B)/embed $(HOOK_FILES)
	$(call say,GEN,$@)
	$(Q)$(B)/embed hooks $(HOOK_FILES) > $@.tmp && mv $@.tmp $@

$(B)/sample.o $(B)/hooks.o: $(B)/%.o: $(B)/%.c
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libkefu.a: $(LIB_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $(LIB_OBJS)

# SQLite's extension loader, never used here, makes a static link warn
# about dlopen(): that one warning is dropped, anything else is shown.
$(BIN)/%: $(B)/cmd/%.o $(B)/libkefu.a
	$(call say,LD,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(CFLAGS) $(LDFLAGS) $(if $(filter $*,$(STATIC_CMDS)),-static) \
		-o $@ $< $(B)/libkefu.a -Wl,--as-needed \
		$(if $(filter $*,$(GIT_CMDS)),$(GIT_LIBS)) $(CORE_LIBS) 2>$@.ld; \
		st=$$?; grep -v -e "in function .unixDlOpen" -e "statically linked applications" \
		$@.ld >&2; rm -f $@.ld; exit $$st

$(B)/tests/%: tests/unit/%.c $(B)/libkefu.a
	$(call say,LD,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) -iquote tests/unit $(LDFLAGS) -o $@ $< \
		$(B)/libkefu.a -Wl,--as-needed $(GIT_LIBS) $(CORE_LIBS)

-include $(wildcard $(B)/lib/*.d $(B)/cmd/*.d)
include tests/fuzz/fuzz.mk

# Tests: prove over tests/*.t, through the binaries in $(BIN).
PROVE = prove
test: $(BINS) $(UNIT_BINS) $(FUZZ_REPLAY)
	$(Q)KEFU_BIN="$(abspath $(BIN))" KEFU_BUILD="$(abspath $(B))" \
	KEFU_SRC="$(CURDIR)" $(PROVE) -j2 $(if $(V),-v) tests/*.t

check: deps
	@echo "== tests"
	$(Q)$(MAKE) --no-print-directory test
	@echo "== tests under AddressSanitizer and UndefinedBehaviorSanitizer"
	$(Q)$(MAKE) --no-print-directory B=build/asan BIN=build/asan/bin \
		CFLAGS="$(SANFLAGS)" LDFLAGS="$(SANFLAGS)" STATIC_CMDS= test

deps:
	$(Q)sh src/tools/deps.sh

demo: deps all
	$(Q)KEFU_BIN="$(abspath $(BIN))" sh src/tools/demo.sh

bench: deps all
	$(Q)KEFU_BIN="$(abspath $(BIN))" sh bench/run.sh
	$(Q)KEFU_BIN="$(abspath $(BIN))" sh bench/tickets.sh

eval: deps all
	$(Q)KEFU_BIN="$(abspath $(BIN))" sh bench/eval.sh

lint:
	$(Q)mandoc -Tlint -W warning man/*.[157]
	$(Q)for f in completions/bash/*; do bash -n "$$f" || exit 1; done
	$(Q)for f in completions/zsh/*; do zsh -n "$$f" 2>/dev/null || true; done

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(FISHCOMPDIR) $(DESTDIR)$(DOCDIR)/examples
	for c in $(CMDS); do cp $(BIN)/$$c $(DESTDIR)$(BINDIR)/$$c || exit 1; done
	cp man/*.1 $(DESTDIR)$(MANDIR)/man1/
	cp man/*.5 $(DESTDIR)$(MANDIR)/man5/
	cp man/*.7 $(DESTDIR)$(MANDIR)/man7/
	cp completions/zsh/* $(DESTDIR)$(ZSHCOMPDIR)/
	# bash and fish look a completion up by the command's name: one each.
	for c in $(CMDS); do \
		cp completions/bash/kefu $(DESTDIR)$(BASHCOMPDIR)/$$c && \
		cp completions/fish/kefu.fish $(DESTDIR)$(FISHCOMPDIR)/$$c.fish || exit 1; \
	done
	cp README.md $(DESTDIR)$(DOCDIR)/
	cp man/examples/* $(DESTDIR)$(DOCDIR)/examples/

uninstall:
	for c in $(CMDS); do rm -f $(DESTDIR)$(BINDIR)/$$c; done
	for f in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${f#man/}; done
	for f in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${f#man/}; done
	for f in man/*.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$${f#man/}; done
	for c in $(CMDS); do \
		rm -f $(DESTDIR)$(BASHCOMPDIR)/$$c $(DESTDIR)$(FISHCOMPDIR)/$$c.fish; done
	for f in completions/zsh/*; do rm -f $(DESTDIR)$(ZSHCOMPDIR)/$${f#completions/zsh/}; done
	rm -rf $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build
	find bin -type f ! -name .gitignore -delete

.PHONY: all test check deps demo bench eval lint install uninstall clean
.SECONDARY:
