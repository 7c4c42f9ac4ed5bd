/*
 * gitnonet: libgit2 without its network, for a static link.
 *
 * kefu reads and writes repositories on this machine only: a shared
 * desk is pushed to by git itself, whose hooks run kb-receive. Yet
 * libgit2 starts its TLS at git_libgit2_init(), parsing every CA
 * certificate of the system for connections kefu never makes: two
 * thirds of the time of a command such as ticket-list. When configure
 * finds libgit2's static archive and this file links against it, these
 * definitions take the place of its TLS, SSH and Negotiate parts, so
 * that none of them is linked in, and every network call fails with a
 * clear error. When they do not link (another libgit2), configure links
 * the shared library as before.
 */
#include <git2.h>
#include <git2/sys/stream.h>
#include <git2/sys/transport.h>

#define NO_NETWORK "kefu works on local repositories only: no network transport is linked"

static int no_network(void)
{
	git_error_set_str(GIT_ERROR_NET, NO_NETWORK);
	return -1;
}

/* Start-up: nothing to load. */
int git_mbedtls_stream_global_init(void);
int git_transport_ssh_global_init(void);
int git_mbedtls_stream_global_init(void)
{
	return 0;
}
int git_transport_ssh_global_init(void)
{
	return 0;
}

/* TLS streams and certificate locations (git_libgit2_opts()). */
int git_mbedtls__set_cert_location(const char *file, const char *path);
int git_mbedtls_stream_new(git_stream **out, const char *host, const char *port);
int git_mbedtls_stream_wrap(git_stream **out, git_stream *in, const char *host);
int git_mbedtls__set_cert_location(const char *file, const char *path)
{
	(void)file;
	(void)path;
	return no_network();
}
int git_mbedtls_stream_new(git_stream **out, const char *host, const char *port)
{
	(void)host;
	(void)port;
	*out = NULL;
	return no_network();
}
int git_mbedtls_stream_wrap(git_stream **out, git_stream *in, const char *host)
{
	(void)in;
	(void)host;
	*out = NULL;
	return no_network();
}

/* SSH remotes. */
int git_smart_subtransport_ssh(git_smart_subtransport **out, git_transport *owner, void *param)
{
	(void)owner;
	(void)param;
	*out = NULL;
	return no_network();
}

/* HTTP's Negotiate (Kerberos) authentication. */
struct git_http_auth_context;
struct git_net_url;
int git_http_auth_negotiate(struct git_http_auth_context **out, const struct git_net_url *url);
int git_http_auth_negotiate(struct git_http_auth_context **out, const struct git_net_url *url)
{
	(void)url;
	*out = NULL;
	return no_network();
}
