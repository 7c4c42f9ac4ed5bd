#include "roles.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sbuf.h"
#include "yamldoc.h"

static const struct {
	enum role role;
	const char *name;
} role_names[] = {
	{ ROLE_AGENT, "agent" },
	{ ROLE_EDITOR, "editor" },
	{ ROLE_SUPERVISOR, "supervisor" },
	{ ROLE_QA, "qa" },
};

const char *role_name(enum role r)
{
	for (size_t i = 0; i < 4; i++)
		if (role_names[i].role == r)
			return role_names[i].name;
	return "?";
}

unsigned role_from_name(const char *s)
{
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(role_names[i].name, s))
			return role_names[i].role;
	return 0;
}

static int email_like(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at > s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t<>,");
}

static void read_person(const struct ynode *n, struct person *p, struct diags *probs)
{
	static const char *const keys[] = { "email",    "name",     "roles", "department", "skills",
					    "capacity", "calendar", "login", NULL };
	const struct ynode *m = yexpect_map(n, "a person", probs);
	memset(p, 0, sizeof(*p));
	p->line = n->line;
	if (!m)
		return;
	ycheck_keys(m, keys, "a person", probs);
	const char *email = yget_str(m, "email", 1, probs);
	if (email && !email_like(email))
		diag_add(probs, ynode_get(m, "email")->line, "email",
			 "'%.80s' is not an email address", email);
	p->email = email ? xstrdup(email) : NULL;
	const char *name = yget_str(m, "name", 0, probs);
	if (name)
		p->name = xstrdup(name);
	else if (email)
		p->name = xstrndup(email, strcspn(email, "@"));
	size_t nroles;
	char **roles = yget_list(m, "roles", &nroles, probs);
	if (!ynode_get(m, "roles"))
		diag_add(probs, m->line, "roles", "required key is missing");
	else if (roles && !nroles)
		diag_add(probs, ynode_get(m, "roles")->line, "roles",
			 "a person needs a role: agent, editor, supervisor or qa");
	for (size_t i = 0; i < nroles; i++) {
		unsigned r = role_from_name(roles[i]);
		if (!r)
			diag_add(probs, ynode_get(m, "roles")->line, "roles",
				 "unknown role '%.40s' (agent, editor, supervisor or qa)", roles[i]);
		p->roles |= r;
	}
	ylist_free(roles);
	const char *dept = yget_str(m, "department", 0, probs);
	p->department = dept ? xstrdup(dept) : NULL;
	p->skills = yget_list(m, "skills", &p->nskills, probs);
	yget_int(m, "capacity", 1, 100000, &p->capacity, probs);
	const char *cal = yget_str(m, "calendar", 0, probs);
	p->calendar = cal ? xstrdup(cal) : NULL;
	const char *login = yget_str(m, "login", 0, probs);
	if (login && !roles_login_valid(login))
		diag_add(probs, ynode_get(m, "login")->line, "login",
			 "'%.80s' is not a Unix user name (letters, digits, '.', '_' and '-')",
			 login);
	p->login = login ? xstrdup(login) : NULL;
}

int roles_login_valid(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n <= 32 && s[0] != '-' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static void person_release(struct person *p)
{
	free(p->email);
	free(p->name);
	free(p->department);
	ylist_free(p->skills);
	free(p->calendar);
	free(p->login);
}

enum kf_status roles_parse(const char *buf, size_t len, struct roles *roles,
			   struct diags *probs)
{
	struct ydoc doc;
	char msg[512];
	int line;
	size_t before = probs->n;

	roles->v = NULL;
	roles->n = 0;
	if (ydoc_parse(buf, len, &doc, &line, msg, sizeof(msg))) {
		diag_add(probs, line, NULL, "%s", msg);
		return KF_EINVAL;
	}
	const struct ynode *root = yexpect_map(doc.root, "roles.yaml", probs);
	static const char *const keys[] = { "people", NULL };
	const struct ynode *people = root ? ynode_get(root, "people") : NULL;
	if (root) {
		ycheck_keys(root, keys, NULL, probs);
		if (!people || ynode_is_null(people))
			diag_add(probs, root->line, "people", "required key is missing");
		else if (people->kind != YN_SEQ)
			diag_add(probs, people->line, "people", "expected a list of people");
	}
	if (people && people->kind == YN_SEQ) {
		roles->v = xcalloc(people->n + 1, sizeof(*roles->v));
		for (size_t i = 0; i < people->n; i++) {
			struct person *p = &roles->v[roles->n];
			read_person(people->kids[i], p, probs);
			if (p->email && roles_find(roles, p->email))
				diag_add(probs, p->line, "email", "'%s' is listed twice", p->email);
			const struct person *other = p->login ? roles_find_login(roles, p->login) : NULL;
			if (other)
				diag_add(probs, ynode_get(people->kids[i], "login")->line, "login",
					 "'%s' is also the login of '%s'", p->login,
					 other->email ? other->email : "?");
			roles->n++;
		}
	}
	ydoc_release(&doc);
	if (probs->n > before) {
		roles_release(roles);
		return KF_EINVAL;
	}
	return KF_OK;
}

void roles_release(struct roles *roles)
{
	for (size_t i = 0; i < roles->n; i++)
		person_release(&roles->v[i]);
	free(roles->v);
	roles->v = NULL;
	roles->n = 0;
}

const struct person *roles_find(const struct roles *roles, const char *email)
{
	for (size_t i = 0; i < roles->n; i++)
		if (roles->v[i].email && !strcasecmp(roles->v[i].email, email))
			return &roles->v[i];
	return NULL;
}

const struct person *roles_find_login(const struct roles *roles, const char *login)
{
	for (size_t i = 0; i < roles->n; i++)
		if (roles->v[i].login && !strcmp(roles->v[i].login, login))
			return &roles->v[i];
	return NULL;
}

int roles_have_logins(const struct roles *roles)
{
	for (size_t i = 0; i < roles->n; i++)
		if (roles->v[i].login)
			return 1;
	return 0;
}

const struct person *roles_find_name(const struct roles *roles, const char *name)
{
	const struct person *p = roles_find(roles, name);
	if (!p)
		p = roles_find_login(roles, name);
	if (p || strchr(name, '@'))
		return p;
	size_t len = strlen(name);
	for (size_t i = 0; i < roles->n; i++) {
		const char *e = roles->v[i].email;
		if (e && strcspn(e, "@") == len && !strncasecmp(e, name, len)) {
			if (p)
				return NULL; /* two people share it: nobody is named */
			p = &roles->v[i];
		}
	}
	return p;
}

int roles_same_person(const struct roles *roles, const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	if (!strcasecmp(a, b))
		return 1;
	const struct person *p = roles ? roles_find_name(roles, a) : NULL;
	return p && p == roles_find_name(roles, b);
}

enum kf_status roles_require(const struct roles *roles, const char *email, enum role role,
			     struct kf_err *err)
{
	const struct person *p = roles_find(roles, email);
	if (!p)
		return kf_fail(err, KF_EPERM, "refused: '%s' is not in workflows/roles.yaml", email);
	/* Roles nest: an editor is also an agent, a supervisor also an editor and qa. */
	unsigned enough = role;
	if (role == ROLE_AGENT)
		enough |= ROLE_EDITOR | ROLE_SUPERVISOR;
	else if (role == ROLE_EDITOR || role == ROLE_QA)
		enough |= ROLE_SUPERVISOR;
	if (!(p->roles & enough))
		return kf_fail(err, KF_EPERM, "refused: '%s' is not %s%s in workflows/roles.yaml",
			       email,
			       role == ROLE_QA ? "" : role == ROLE_SUPERVISOR ? "a " : "an ",
			       role_name(role));
	return KF_OK;
}
