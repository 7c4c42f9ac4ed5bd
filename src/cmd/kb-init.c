/* kb-init: a new desk, empty or with the sample knowledge base. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "desk.h"
#include "repo.h"
#include "sample.h"
#include "sbuf.h"
#include "skeleton.h"
#include "spawn.h"
#include "sync.h"

static const char usage[] =
	"usage: kb-init [--sample] [-C DIR] [DIRECTORY]\n"
	"       kb-init --server [-C DIR] DIRECTORY\n"
	"\n"
	"Create a desk in DIRECTORY (default: the current directory), which must\n"
	"be empty or absent: a git repository on branch main with kb/, workflows/\n"
	"and .gitignore, a first commit, git hooks that keep the search index in\n"
	"step with main, and the index itself. Without --sample, the founder\n"
	"($KEFU_USER or git's user.email) is its only person: agent, editor and\n"
	"supervisor.\n"
	"\n"
	"      --sample         fill it with the sample desk: entries and workflows\n"
	"      --server         a bare repository for a server instead, to push desks\n"
	"                       to, whose pre-receive hook (kb-receive) lets only\n"
	"                       supervisors publish to main\n"
	"  -C, --directory DIR  run as if started in DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when the desk was created, 2 on error (nothing is left).\n";

static int write_file(const char *root, const char *rel, const char *data, size_t len,
		      int executable)
{
	char *path = xasprintf("%s/%s", root, rel);
	/* Parents first: mkdir -p for each slash after the root. */
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			error("cannot create '%s': %m", path);
			free(path);
			return -1;
		}
		*p = '/';
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, executable ? 0777 : 0666);
	ssize_t n = fd < 0 ? -1 : write(fd, data, len);
	if (fd < 0 || n != (ssize_t)len || close(fd) < 0) {
		error("cannot write '%s': %m", path);
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 ? -1 : 0;
}

/* Undo: nothing half-made stays behind. */
static void undo(const char *dir, int created)
{
	if (created) {
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		return;
	}
	DIR *dp = opendir(dir);
	struct dirent *de;
	while (dp && (de = readdir(dp))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		nftw(p, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		free(p);
	}
	if (dp)
		closedir(dp);
}

/* 1: absent, 0: an empty directory, -1: unusable (reported). */
static int check_target(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) < 0) {
		if (errno == ENOENT)
			return 1;
		return error("cannot use '%s': %m", dir);
	}
	if (!S_ISDIR(st.st_mode))
		return error("cannot create a desk in '%s': not a directory", dir);
	DIR *dp = opendir(dir);
	if (!dp)
		return error("cannot read '%s': %m", dir);
	struct dirent *de;
	int empty = 1;
	while ((de = readdir(dp)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(dp);
	if (!empty)
		return error("cannot create a desk in '%s': it is not empty", dir);
	return 0;
}

static int populate(const char *root, int sample, const char *email, const char *name)
{
	if (sample) {
		if (write_file(root, ".gitignore", skeleton_files[0].text,
			       strlen(skeleton_files[0].text), 0))
			return -1;
		for (size_t i = 0; i < sample_nfiles; i++) {
			const struct sample_file *f = &sample_files[i];
			if (write_file(root, f->path, f->data, (size_t)f->size, f->executable))
				return -1;
		}
		return 0;
	}
	for (size_t i = 0; i < skeleton_nfiles; i++) {
		char *text = skeleton_text(&skeleton_files[i], email, name);
		int r = write_file(root, skeleton_files[i].path, text, strlen(text), 0);
		free(text);
		if (r)
			return -1;
	}
	return 0;
}

static int install_hook(const char *root)
{
	char *dir = self_dir();
	char *kb_index = xasprintf("%s/kb-index", dir ? dir : "/usr/bin");
	char *hook = skeleton_hook(kb_index);
	int r = write_file(root, ".git/hooks/reference-transaction", hook, strlen(hook), 1);
	free(hook);
	free(kb_index);
	free(dir);
	return r;
}

/* The server's pre-receive hook, pointing at this kb-receive. */
static int install_receive_hook(const char *root)
{
	const struct sample_file *f = NULL;
	for (size_t i = 0; i < hooks_nfiles; i++)
		if (!strcmp(hooks_files[i].path, "src/hooks/pre-receive"))
			f = &hooks_files[i];
	if (!f)
		return error("this kb-init was built without its pre-receive hook");
	char *dir = self_dir();
	char *target = xasprintf("%s/kb-receive", dir ? dir : "/usr/bin");
	struct sbuf sb = SBUF_INIT;
	const char *at = strstr(f->data, "@KB_RECEIVE@");
	if (at) {
		sbuf_add(&sb, f->data, (size_t)(at - f->data));
		sbuf_adds(&sb, target);
		sbuf_adds(&sb, at + strlen("@KB_RECEIVE@"));
	} else {
		sbuf_adds(&sb, f->data);
	}
	int r = write_file(root, "hooks/pre-receive", sb.buf, sb.len, 1);
	sbuf_release(&sb);
	free(target);
	free(dir);
	return r;
}

static void on_skip(void *ctx, const char *msg)
{
	(void)ctx;
	warn("skipped %s", msg);
}

int main(int argc, char **argv)
{
	enum { OPT_SAMPLE = CLI_OPT_FIRST_FREE, OPT_SERVER };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "sample", no_argument, NULL, OPT_SAMPLE },
		{ "server", no_argument, NULL, OPT_SERVER },
		{ NULL, 0, NULL, 0 },
	};
	int sample = 0, server = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if (c == OPT_SAMPLE)
			sample = 1;
		else if (c == OPT_SERVER)
			server = 1;
		else
			cli_common(c, optarg, argv);
	}
	if (argc - optind > 1)
		die_usage("one directory at most");
	if (server && sample)
		die_usage("--server and --sample exclude each other");
	if (server && optind == argc)
		die_usage("--server needs the repository's directory");
	const char *dir = optind < argc ? argv[optind] : ".";
	if (server) {
		int none = check_target(dir);
		if (none < 0)
			return cli_exit(EXIT_ERROR);
		if (repo_init_bare(dir, &err)) {
			undo(dir, none);
			die_err(&err);
		}
		if (install_receive_hook(dir)) {
			undo(dir, none);
			return cli_exit(EXIT_ERROR);
		}
		return cli_exit(EXIT_FOUND);
	}

	int absent = check_target(dir);
	if (absent < 0)
		return cli_exit(EXIT_ERROR);
	char *email, *name;
	if (repo_identity(NULL, &email, &name, &err))
		die_err(&err);
	if (absent && mkdir(dir, 0777) < 0)
		die("cannot create '%s': %m", dir);
	char *root = realpath(dir, NULL);
	if (!root)
		die("cannot resolve '%s': %m", dir);

	char hex[41];
	struct desk d;
	struct sync_stats stats;
	int ok = populate(root, sample, email, name) == 0;
	if (ok && repo_init_commit(root, sample ? "kb-init: sample desk\n" : "kb-init: new desk\n",
				   hex, &err)) {
		error("%s", err.msg);
		ok = 0;
	}
	ok = ok && install_hook(root) == 0;
	if (ok) {
		desk_at(&d, root);
		if (kb_sync(&d, 1, on_skip, NULL, &stats, &err)) {
			error("%s", err.msg);
			ok = 0;
		}
		desk_release(&d);
	}
	if (!ok)
		undo(root, absent);
	free(root);
	free(email);
	free(name);
	return cli_exit(ok ? EXIT_FOUND : EXIT_ERROR);
}
