#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sbuf.h"

extern char **environ;

char *self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xstrdup(buf[0] ? buf : "/");
}

enum kf_status spawn_sibling_capture(const char *name, char *const argv[], int *code,
				     struct sbuf *errout, struct kf_err *err)
{
	char *dir = self_dir();
	char *path = dir ? xasprintf("%s/%s", dir, name) : NULL;
	size_t argc = 0;
	while (argv[argc])
		argc++;
	char **av = xcalloc(argc + 1, sizeof(*av));
	for (size_t i = 0; i < argc; i++)
		av[i] = argv[i];
	av[0] = (char *)name;

	int pipefd[2] = { -1, -1 };
	posix_spawn_file_actions_t fa, *fap = NULL;
	if (errout) {
		if (pipe2(pipefd, O_CLOEXEC) < 0) {
			free(av);
			free(path);
			free(dir);
			return kf_fail_errno(err, "cannot run '%s'", name);
		}
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
		fap = &fa;
	}
	pid_t pid;
	int rc;
	if (path && access(path, X_OK) == 0)
		rc = posix_spawn(&pid, path, fap, NULL, av, environ);
	else
		rc = posix_spawnp(&pid, name, fap, NULL, av, environ);
	free(av);
	free(path);
	free(dir);
	if (fap) {
		posix_spawn_file_actions_destroy(fap);
		close(pipefd[1]);
		if (rc == 0)
			sbuf_read_fd(errout, pipefd[0], 0);
		close(pipefd[0]);
	}
	if (rc != 0) {
		errno = rc;
		return kf_fail_errno(err, "cannot run '%s'", name);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return kf_fail_errno(err, "cannot wait for '%s'", name);
	}
	*code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return KF_OK;
}

enum kf_status spawn_sibling(const char *name, char *const argv[], int *code,
			     struct kf_err *err)
{
	return spawn_sibling_capture(name, argv, code, NULL, err);
}

enum kf_status spawn_program(const char *file, char *const argv[], int in, int flags,
			     struct sbuf *out, int *code, struct kf_err *err)
{
	int pipefd[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	if (out && pipe2(pipefd, O_CLOEXEC) < 0)
		return kf_fail_errno(err, "cannot run '%s'", file);
	posix_spawn_file_actions_init(&fa);
	if (in >= 0)
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	/* A full-screen program draws on stderr: the terminal, even when ours goes elsewhere. */
	int tty = flags & SPAWN_TTY_ERR ? open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC) : -1;
	if (tty >= 0)
		posix_spawn_file_actions_adddup2(&fa, tty, 2);
	if (out)
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	rc = posix_spawnp(&pid, file, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (tty >= 0)
		close(tty);
	if (out) {
		close(pipefd[1]);
		if (rc == 0)
			sbuf_read_fd(out, pipefd[0], 0);
		close(pipefd[0]);
	}
	if (rc == ENOENT)
		return kf_fail(err, KF_ENOTFOUND, "cannot run '%s': not found", file);
	if (rc != 0) {
		errno = rc;
		return kf_fail_errno(err, "cannot run '%s'", file);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return kf_fail_errno(err, "cannot wait for '%s'", file);
	}
	*code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return KF_OK;
}

void sh_quote(const char *s, struct sbuf *out)
{
	sbuf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sbuf_adds(out, "'\\''");
		else
			sbuf_addch(out, *s);
	}
	sbuf_addch(out, '\'');
}
