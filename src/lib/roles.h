/*
 * roles: workflows/roles.yaml, who is who.
 *
 * Ownership: roles_parse() fills a struct roles that owns all its
 * strings; roles_release() frees them.
 */
#ifndef KEFU_ROLES_H
#define KEFU_ROLES_H

#include <stddef.h>

#include "problems.h"
#include "status.h"

enum role {
	ROLE_AGENT = 1 << 0,      /* open, claim, update and close tickets, record usage */
	ROLE_EDITOR = 1 << 1,     /* also propose knowledge changes */
	ROLE_SUPERVISOR = 1 << 2, /* also approve, reject, reassign, escalate */
	ROLE_QA = 1 << 3,         /* flag tickets */
};

struct person {
	char *email, *name;
	unsigned roles; /* enum role bits */
	char *department; /* NULL when none */
	char **skills;
	size_t nskills;
	long capacity;  /* open tickets at most; 0: no limit */
	char *calendar; /* NULL: the department's or the desk's default */
	char *login;    /* the Unix login bound to this person; NULL when none */
	int line;       /* where it is written */
};

struct roles {
	struct person *v;
	size_t n;
};

/*
 * Read roles.yaml from buf[0..len). Returns KF_OK, or KF_EINVAL with
 * every problem in probs (roles is then empty).
 */
enum kf_status roles_parse(const char *buf, size_t len, struct roles *roles,
			   struct diags *probs);
void roles_release(struct roles *roles);

/* The person with this email (case-insensitive), or NULL. */
const struct person *roles_find(const struct roles *roles, const char *email);

/* The person bound to this Unix login (exactly), or NULL. */
const struct person *roles_find_login(const struct roles *roles, const char *login);

/* Whether any person is bound to a login: then logins say who is who. */
int roles_have_logins(const struct roles *roles);

/*
 * The person a server names: an email (case-insensitive), else a login,
 * else the part of one person's email before the '@'. NULL when none,
 * or when that part is shared by several people.
 */
const struct person *roles_find_name(const struct roles *roles, const char *name);

/*
 * Whether two names are one person: the same email (case aside), or,
 * when roles is not NULL, names roles_find_name() gives to one person.
 * Every check of who approved what asks this (proposal.h).
 */
int roles_same_person(const struct roles *roles, const char *a, const char *b);

/* A Unix user name: 1 to 32 of [A-Za-z0-9._-], not starting with '-'. */
int roles_login_valid(const char *s);

/* "agent" and so on, and back (0 for an unknown word). */
const char *role_name(enum role r);
unsigned role_from_name(const char *s);

/*
 * Check that email may act as role, roles nesting as SPEC says: an editor
 * may do what an agent does, a supervisor what an editor or qa does.
 * KF_OK, or KF_EPERM with a message
 * naming who and what ("li.na@example.com is not a supervisor in
 * workflows/roles.yaml").
 */
enum kf_status roles_require(const struct roles *roles, const char *email, enum role role,
			     struct kf_err *err);

#endif
