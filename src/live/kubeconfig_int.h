/*
 * kubeconfig_int: what kubeconfig_load.c (reading and merging the files,
 * the fields of clusters and users) shares with kubeconfig.c (choosing
 * the context, kubectl's overrides, in-cluster, kc_load). Internal to
 * src/live/; not an API.
 */
#ifndef ID_KUBECONFIG_INT_H
#define ID_KUBECONFIG_INT_H

#include "kubeconfig.h"
#include "../json/json.h"

#define KC_MAX_PEM (1u << 20)

/* one named entry of the merged configuration */
struct named {
	const char *name;
	const struct json *val;     /* the "cluster"/"user"/"context" object */
	const char *file;           /* file of origin */
	const char *dir;            /* its directory, for relative paths */
};

struct merged {
	struct named *clusters, *users, *contexts;
	size_t nclusters, ncontexts, nusers, capc, capu, capx;
	const char *current;
};

/* Where a field is read from, for messages. */
struct fctx {
	struct kc_config *c;
	const char *file, *dir, *what;   /* what: "users[red].user" */
	struct err *err;
};

/*
 * Read the files of the merge (--kubeconfig, else KUBECONFIG's list, else
 * ~/.kube/config) into m, first definition of a name winning. Returns 0,
 * or -1 with err.
 */
int kcl_load_files(const struct kc_env *env, const struct kc_flags *f, struct kc_config *c,
		   struct merged *m, struct warnings *w, struct err *err);
/* A string field key of o into *out ("" absent or null); -1 with x->err when not a string. */
int kcl_get_str(struct fctx *x, const struct json *o, const char *key, const char **out);
/* s[0..n) without surrounding whitespace, copied into a. */
const char *kcl_trimmed(struct arena *a, const char *s, size_t n);
/* The fields of a "cluster" object into cl; -1 with x->err. */
int kcl_read_cluster(struct fctx *x, const struct json *o, struct kc_cluster *cl,
		     struct warnings *w);
/* The fields of a "user" object into u; -1 with x->err. */
int kcl_read_user(struct fctx *x, const struct json *o, struct kc_user *u);
/* Auth providers removed from client-go, and oidc without a token: -1 with err. */
int kcl_check_auth_provider(const struct kc_user *u, struct err *err);

#endif
