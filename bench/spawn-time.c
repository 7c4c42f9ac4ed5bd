/*
 * spawn-time: run a command RUNS times as a fresh process and print the
 * wall time of each run in microseconds, one a line.
 *
 *   spawn-time [-w WARMUP] RUNS COMMAND [ARG]...
 *
 * In the arguments, %N stands for the run's number (from 1, warm-ups
 * counted), so that each run can differ: ticket-open -u "c%N" "问题 %N".
 *
 * The child's stdin is /dev/null and its stdout too (a search that
 * prints to a terminal or a pipe measures the reader as well); stderr is
 * kept so a failing command is seen. Timing is fork to waitpid on
 * CLOCK_MONOTONIC, so it includes exec, the dynamic loader and exit: what
 * an agent waits for. `time` rounds to 10 ms; this does not.
 *
 * Exit status: 0 when every run exited 0 or 1 (grep's "found" and "not
 * found"), 2 when a run failed otherwise or on usage errors.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "spawn-time";

static long number(const char *what, const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 1000000) {
		fprintf(stderr, "%s: bad %s '%s'\n", prog, what, s);
		exit(2);
	}
	return v;
}

/* One run; returns the child's wait status, or -1 when it could not start. */
static int run(char **argv, int devnull, long long *us)
{
	struct timespec t0, t1;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: cannot fork: %s\n", prog, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: cannot run '%s': %s\n", prog, argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "%s: cannot wait: %s\n", prog, strerror(errno));
			return -1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*us = (long long)(t1.tv_sec - t0.tv_sec) * 1000000LL + (t1.tv_nsec - t0.tv_nsec) / 1000;
	return status;
}

/* arg with each %N replaced by n, newly allocated. */
static char *numbered(const char *arg, long n)
{
	size_t len = strlen(arg);
	char *out = malloc(len * 10 + 32), *o = out;
	if (!out) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(2);
	}
	for (const char *p = arg; *p; p++) {
		if (p[0] == '%' && p[1] == 'N') {
			o += sprintf(o, "%ld", n);
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static int failed(int status)
{
	return status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1;
}

int main(int argc, char **argv)
{
	long warmup = 1;
	int i = 1, bad = 0;

	if (i + 1 < argc && !strcmp(argv[i], "-w")) {
		warmup = number("warm-up count", argv[i + 1]);
		i += 2;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: %s [-w WARMUP] RUNS COMMAND [ARG]...\n", prog);
		return 2;
	}
	long runs = number("run count", argv[i]);
	char **cmd = argv + i + 1;
	int devnull = open("/dev/null", O_RDWR);
	if (devnull < 0) {
		fprintf(stderr, "%s: cannot open '/dev/null': %s\n", prog, strerror(errno));
		return 2;
	}
	int ncmd = argc - i - 1;
	char **args = calloc((size_t)ncmd + 1, sizeof(*args));
	if (!args) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 2;
	}
	/* Warm-up runs fill the page cache; they are not reported. */
	for (long r = 0; r < warmup + runs; r++) {
		long long us = 0;
		for (int k = 0; k < ncmd; k++) {
			free(args[k]);
			args[k] = numbered(cmd[k], r + 1);
		}
		int status = run(args, devnull, &us);
		if (failed(status)) {
			bad = 1;
			if (status >= 0)
				fprintf(stderr, "%s: '%s' %s %d\n", prog, cmd[0],
					WIFEXITED(status) ? "exited" : "killed by signal",
					WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		}
		if (r >= warmup)
			printf("%lld\n", us);
	}
	for (int k = 0; k < ncmd; k++)
		free(args[k]);
	free(args);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the times: %s\n", prog, strerror(errno));
		return 2;
	}
	return bad ? 2 : 0;
}
