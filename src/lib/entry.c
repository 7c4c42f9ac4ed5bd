#include "entry.h"

#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "sbuf.h"

int entry_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > ENTRY_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
		if (!ok)
			return 0;
	}
	return 1;
}

int entry_category_valid(const char *c)
{
	size_t n = strlen(c);
	/* It names the directory kb/<category>/: exactly one path component. */
	return n > 0 && n <= 255 && !strchr(c, '/') && strcmp(c, ".") && strcmp(c, "..");
}

int entry_date_valid(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= month_days(y, m);
}

char *entry_path_id(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n <= 5 || strcmp(base + n - 5, ".yaml"))
		return NULL;
	return xstrndup(base, n - 5);
}

static void free_list(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void entry_release(struct entry *e)
{
	free(e->id);
	free(e->title);
	free(e->category);
	free(e->scenario);
	free_list(e->keywords);
	free_list(e->tags);
	free(e->opening);
	free(e->answer);
	free(e->closing);
	free(e->notes);
	memset(e, 0, sizeof(*e));
}
