#include "newdesk.h"

#include <string.h>

#include "sbuf.h"

const struct skeleton_file skeleton_files[] = {
	{ ".gitignore",
	  "# Local state, never in git: the search index (rebuilt from git) and\n"
	  "# the desk database with ticket-seq (tickets: nothing rebuilds them).\n"
	  "# Back the desk up with `ticket-export --json --unmask` or sqlite3's\n"
	  "# .backup, the knowledge base with `git clone --mirror`; restore with\n"
	  "# ticket-import into a fresh desk: kefu-backup(7).\n"
	  ".kefu/\n" },
	{ "kb/README.md",
	  "# Knowledge base\n\n"
	  "One entry a file: kb/<category>/<id>.yaml, described in kefu-entry(5).\n"
	  "Check entries with kb-lint; propose changes with kb-propose.\n" },
	{ "workflows/roles.yaml",
	  "# Who is who: see kefu-workflows(5).\n"
	  "# roles: agent | editor | supervisor | qa\n"
	  "people:\n"
	  "  - email: %1$s\n"
	  "    name: %2$s\n"
	  "    roles: [agent, editor, supervisor]\n"
	  "    department: 客服中心\n" },
	{ "workflows/routing.yaml",
	  "# From ticket to department, first matching rule wins; then an agent\n"
	  "# by the department's strategy. See kefu-workflows(5).\n"
	  "departments:\n"
	  "  - name: 客服中心\n"
	  "    strategy: fewest\n"
	  "    supervisor: %1$s\n"
	  "rules:\n"
	  "  - department: 客服中心\n" },
	{ "workflows/sla.yaml",
	  "# Response and resolution targets, first matching policy wins.\n"
	  "policies:\n"
	  "  - name: default\n"
	  "    calendar: business\n"
	  "    response: 10m\n"
	  "    resolve: 48h\n"
	  "warn: 80%%\n" },
	{ "workflows/calendars.yaml",
	  "# Business hours; closing times are exclusive.\n"
	  "calendars:\n"
	  "  business:\n"
	  "    zone: Asia/Shanghai\n"
	  "    weekdays: [\"09:00-18:00\"]\n"
	  "  24x7:\n"
	  "    zone: Asia/Shanghai\n"
	  "    daily: [\"00:00-24:00\"]\n" },
	{ "workflows/classify.yaml",
	  "# Guesses for tickets opened without a type or priority.\n"
	  "types: []\n"
	  "default_type: 咨询\n"
	  "priorities: []\n"
	  "default_priority: normal\n"
	  "repeat_window: 2h\n" },
};
const size_t skeleton_nfiles = sizeof(skeleton_files) / sizeof(skeleton_files[0]);

char *skeleton_text(const struct skeleton_file *f, const char *email, const char *name)
{
	struct sbuf sb = SBUF_INIT;
	for (const char *p = f->text; *p; p++) {
		if (p[0] == '%' && p[1] == '%') {
			sbuf_addch(&sb, '%');
			p++;
		} else if (!strncmp(p, "%1$s", 4)) {
			sbuf_adds(&sb, email);
			p += 3;
		} else if (!strncmp(p, "%2$s", 4)) {
			sbuf_adds(&sb, name);
			p += 3;
		} else {
			sbuf_addch(&sb, *p);
		}
	}
	return sbuf_detach(&sb);
}

char *skeleton_hook(const char *kb_index)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_adds(&sb,
		  "#!/bin/sh\n"
		  "# kefu: after any git command that moves main (commit, merge, pull,\n"
		  "# reset, update-ref), bring .kefu/index.db to it. Installed by kb-init.\n"
		  "if [ \"$1\" = prepared ]; then\n"
		  "\t# An approval killed before .git/index and the work tree followed\n"
		  "\t# main: committing them now would undo it. Refuse until it is finished.\n"
		  "\t[ -e \"$(git rev-parse --git-common-dir)/kefu/worktree\" ] || exit 0\n"
		  "\twhile read -r old new ref; do\n"
		  "\t\tcase $ref in refs/heads/main | HEAD)\n"
		  "\t\t\techo 'kefu: an approval was interrupted before the work tree followed main;' >&2\n"
		  "\t\t\techo 'kefu: run kb-index, which finishes it, then try again' >&2\n"
		  "\t\t\texit 1 ;;\n"
		  "\t\tesac\n"
		  "\tdone\n"
		  "\texit 0\n"
		  "fi\n"
		  "[ \"$1\" = committed ] || exit 0\n"
		  "# Not when main is only deleted or rewritten in place (git pack-refs).\n"
		  "moved=\n"
		  "while read -r old new ref; do\n"
		  "\t[ \"$ref\" = refs/heads/main ] && [ \"$old\" != \"$new\" ] &&\n"
		  "\t\t[ \"$new\" != 0000000000000000000000000000000000000000 ] && moved=1\n"
		  "done\n"
		  "[ -n \"$moved\" ] || exit 0\n"
		  "kb_index='");
	for (const char *p = kb_index; *p; p++) {
		if (*p == '\'')
			sbuf_adds(&sb, "'\\''");
		else
			sbuf_addch(&sb, *p);
	}
	sbuf_adds(&sb, "'\n"
		       "[ -x \"$kb_index\" ] || kb_index=kb-index\n"
		       "\"$kb_index\" -C \"$PWD\" ||\n"
		       "\techo 'kefu: kb-index failed; the next search will retry' >&2\n"
		       "exit 0\n");
	return sbuf_detach(&sb);
}
