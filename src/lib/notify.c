#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sbuf.h"

enum kf_status notify_hook(const char *root, const char *event, const char *json,
			   struct kf_err *err)
{
	char *path = xasprintf("%s/workflows/hooks/%s", root, event);
	enum kf_status st = KF_OK;
	int in[2] = { -1, -1 };

	if (access(path, X_OK) < 0)
		goto out; /* no hook: nothing to say */
	if (pipe(in) < 0) {
		st = kf_fail_errno(err, "cannot run hook '%s'", event);
		goto out;
	}
	pid_t pid = fork();
	if (pid < 0) {
		st = kf_fail_errno(err, "cannot run hook '%s'", event);
		goto out;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		close(in[0]);
		close(in[1]);
		/* The hook's output is not ours: keep machine output clean. */
		dup2(2, 1);
		if (chdir(root) == 0)
			execl(path, path, event, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	in[0] = -1;
	/* A hook that does not read its input must not kill us with SIGPIPE. */
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	size_t len = strlen(json);
	for (size_t off = 0; off < len;) {
		ssize_t w = write(in[1], json + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (write(in[1], "\n", 1) < 0) {
		/* the hook closed its input; its exit status says the rest */
	}
	close(in[1]);
	in[1] = -1;
	signal(SIGPIPE, old);

	int status = 0;
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	for (long waited = 0;; waited += 20) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			st = kf_fail_errno(err, "cannot wait for hook '%s'", event);
			goto out;
		}
		if (waited >= NOTIFY_TIMEOUT * 1000L) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			st = kf_fail(err, KF_EIO, "hook '%s' ran over %d seconds and was stopped",
				     path, NOTIFY_TIMEOUT);
			goto out;
		}
		nanosleep(&tick, NULL);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		goto out;
	if (WIFEXITED(status))
		st = kf_fail(err, KF_EIO, "hook '%s' failed (exit %d)", path, WEXITSTATUS(status));
	else
		st = kf_fail(err, KF_EIO, "hook '%s' was killed by signal %d", path,
			     WTERMSIG(status));
out:
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	free(path);
	return st;
}
