/*
 * test_kubeconfig: kubeconfig loading like kubectl (live/kubeconfig.h):
 * file choice, KUBECONFIG merge rules, selection precedence, relative
 * paths, every field and its errors, in-cluster configuration; the
 * credentials layer (live/auth.h): token file re-read, exec plugins
 * (caching, expiry, 401 refresh, errors), http without credentials.
 * Every test writes its files into a fresh temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/live/auth.h"
#include "../../src/live/b64.h"
#include "../../src/live/kubeconfig.h"
#include "../../src/util/buf.h"
#include "../../src/util/xalloc.h"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_kc.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	(void)state;
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

/* write dir/name with text; returns the path (static ring) */
static const char *put(const char *name, const char *text)
{
	static char paths[8][512];
	static int i;
	char *p = paths[i++ % 8];
	FILE *f;

	snprintf(p, 512, "%s/%s", dir, name);
	if (strchr(name, '/')) {
		char *d = xstrdup(p);
		*strrchr(d, '/') = '\0';
		mkdir(d, 0700);
		free(d);
	}
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static struct kc_env env0(void)
{
	struct kc_env e = { 0 };
	e.home = "/nonexistent-home";
	e.sa_dir = "/nonexistent-sa";
	return e;
}

static int load(const struct kc_env *e, const struct kc_flags *f, struct kc_config *c,
		struct warnings *w, struct err *err)
{
	warnings_init(w);
	err_clear(err);
	return kc_load(e, f, c, w, err);
}

/* Loading fails with an error that says want (the partial config released). */
static void load_fails(const struct kc_env *e, const struct kc_flags *f, const char *want)
{
	struct kc_config c;
	struct warnings w;
	struct err err = ERR_INIT;

	assert_int_equal(load(e, f, &c, &w, &err), -1);
	if (!strstr(err.msg, want))
		fail_msg("error \"%s\" does not say \"%s\"", err.msg, want);
	kc_release(&c);
	warnings_release(&w);
}

#define BASIC \
	"apiVersion: v1\nkind: Config\ncurrent-context: a\n" \
	"clusters:\n- name: ca\n  cluster:\n    server: https://a.example:6443\n" \
	"- name: cb\n  cluster:\n    server: https://b.example/k8s/clusters/c-x/\n" \
	"users:\n- name: ua\n  user:\n    token: tok-a\n" \
	"- name: ub\n  user:\n    username: bob\n    password: pw\n" \
	"contexts:\n- name: a\n  context: {cluster: ca, user: ua, namespace: shop}\n" \
	"- name: b\n  context: {cluster: cb, user: ub}\n"

static void test_basic(void **state)
{
	struct kc_env e = env0();
	struct kc_flags f = { 0 };
	struct kc_config c;
	struct warnings w;
	struct err err = ERR_INIT;

	(void)state;
	f.kubeconfig = put("config", BASIC);
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.context, "a");
	assert_string_equal(c.cluster.name, "ca");
	assert_string_equal(c.user.token, "tok-a");
	assert_string_equal(c.ns, "shop");
	assert_string_equal(c.scheme, "https");
	assert_string_equal(c.host, "a.example");
	assert_int_equal(c.port, 6443);
	assert_string_equal(c.prefix, "");
	assert_true(kc_creds_allowed(&c));
	kc_release(&c);
	warnings_release(&w);

	/* --context and -n win; path prefix kept without trailing '/' */
	f.context = "b";
	f.ns = "other";
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.cluster.name, "cb");
	assert_string_equal(c.user.username, "bob");
	assert_string_equal(c.ns, "other");
	assert_int_equal(c.port, 443);
	assert_string_equal(c.prefix, "/k8s/clusters/c-x");
	kc_release(&c);
	warnings_release(&w);

	/* context without namespace: default */
	f.ns = NULL;
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.ns, "default");
	kc_release(&c);
	warnings_release(&w);

	/* --cluster / --user override the context's */
	f.cluster = "ca";
	f.user = "ua";
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.cluster.name, "ca");
	assert_string_equal(c.user.name, "ua");
	kc_release(&c);
	warnings_release(&w);
}

/* kubectl's override flags: precedence of client-go's DirectClientConfig */
static void test_overrides(void **state)
{
	struct kc_env e = env0();
	struct kc_flags f = { 0 };
	struct kc_config c;
	struct warnings w;
	struct err err = ERR_INIT;
	const char *groups[] = { "g1", "g2" };
	const char *ca;

	(void)state;
	ca = put("ca.crt", "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n");
	f.kubeconfig = put("config",
		"apiVersion: v1\nkind: Config\ncurrent-context: a\n"
		"clusters:\n- name: ca\n  cluster:\n    server: https://a.example:6443\n"
		"    tls-server-name: api.internal\n    proxy-url: http://p.example:3128\n"
		"    certificate-authority-data: LS0tLS1CRUdJTg==\n"
		"users:\n- name: ua\n  user:\n    token: tok-a\n    as: jane\n"
		"    as-groups: [dev]\n"
		"contexts:\n- name: a\n  context: {cluster: ca, user: ua}\n");
	/* --server replaces the server and clears tls-server-name (as client-go) */
	f.server = "https://10.0.0.1:443";
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.cluster.server, "https://10.0.0.1:443");
	assert_string_equal(c.host, "10.0.0.1");
	assert_string_equal(c.cluster.tls_server_name, "");
	assert_string_equal(c.cluster.proxy_url, "http://p.example:3128");
	assert_non_null(c.cluster.ca_data.p);
	kc_release(&c);
	warnings_release(&w);

	/* --tls-server-name with --server keeps the flag's */
	f.tls_server_name = "kubernetes.default";
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.cluster.tls_server_name, "kubernetes.default");
	kc_release(&c);
	warnings_release(&w);

	/* --insecure-skip-tls-verify drops the kubeconfig's CA (no "both" error) and warns */
	f.insecure = true;
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_true(c.cluster.insecure);
	assert_null(c.cluster.ca_data.p);
	assert_int_equal(w.n, 1);
	kc_release(&c);
	warnings_release(&w);

	/* --certificate-authority replaces the CA data; with --insecure: usage error */
	f.ca_file = ca;
	assert_int_equal(load(&e, &f, &c, &w, &err), -1);
	assert_int_equal(err.code, ERR_USAGE);
	kc_release(&c);
	warnings_release(&w);
	f.insecure = false;
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_false(c.cluster.insecure);
	assert_string_equal(c.cluster.ca_file, ca);
	assert_non_null(strstr(c.cluster.ca_data.p, "\nx\n"));
	kc_release(&c);
	warnings_release(&w);

	/* user fields: --token, --as/--as-group/--as-uid replace the kubeconfig's */
	f.token = "tok-flag";
	f.impersonate = "bob";
	f.impersonate_groups = groups;
	f.nimpersonate_groups = 2;
	f.impersonate_uid = "u1";
	f.proxy_url = "socks5://127.0.0.1:1080";
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.user.token, "tok-flag");
	assert_string_equal(c.user.impersonate, "bob");
	assert_int_equal(c.user.nimpersonate_groups, 2);
	assert_string_equal(c.user.impersonate_groups[1], "g2");
	assert_string_equal(c.user.impersonate_uid, "u1");
	assert_string_equal(c.cluster.proxy_url, "socks5://127.0.0.1:1080");
	kc_release(&c);
	warnings_release(&w);

	/* token and basic auth together: refused, as kubectl */
	f.username = "alice";
	f.password = "pw";
	assert_int_equal(load(&e, &f, &c, &w, &err), -1);
	assert_non_null(strstr(err.msg, "more than one authentication method"));
	assert_null(strstr(err.msg, "tok-flag"));
	kc_release(&c);
	warnings_release(&w);

	/* no kubeconfig at all: --server and --token are enough */
	memset(&f, 0, sizeof(f));
	f.server = "https://127.0.0.1:6443";
	f.token = "t";
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.cluster.name, "command-line");
	assert_string_equal(c.user.token, "t");
	assert_int_equal(c.port, 6443);
	kc_release(&c);
	warnings_release(&w);

	/* --as-group without --as; a bad --proxy-url scheme */
	f.impersonate_groups = groups;
	f.nimpersonate_groups = 1;
	load_fails(&e, &f, "need --as");
	f.nimpersonate_groups = 0;
	f.proxy_url = "ftp://x";
	load_fails(&e, &f, "--proxy-url");
}

static void test_missing_context(void **state)
{
	struct kc_env e = env0();
	struct kc_flags f = { 0 };

	(void)state;
	f.kubeconfig = put("config", BASIC);
	f.context = "nope";
	load_fails(&e, &f, "context \"nope\" does not exist");

	f.context = NULL;
	f.kubeconfig = put("config2", "current-context: ghost\n");
	load_fails(&e, &f, "context \"ghost\" does not exist");

	f.kubeconfig = put("config3", BASIC);
	f.user = "nobody";
	load_fails(&e, &f, "user \"nobody\" does not exist");

	/* --kubeconfig naming a missing file is an error (no fallback) */
	f.user = NULL;
	f.kubeconfig = "/nonexistent/kubeconfig";
	load_fails(&e, &f, "/nonexistent/kubeconfig");
}

static void test_merge(void **state)
{
	struct kc_env e = env0();
	struct kc_flags f = { 0 };
	struct kc_config c;
	struct warnings w;
	struct err err = ERR_INIT;
	const char *p1, *p2, *p3;
	char *list;

	(void)state;
	/* file 1: empty current-context, user red without token fields */
	p1 = put("one", "current-context: \"\"\n"
		 "users:\n- name: red\n  user:\n    username: first\n    password: x\n"
		 "clusters:\n- name: k\n  cluster:\n    server: https://one:1\n");
	p2 = put("two", "current-context: ctx\n"
		 "users:\n- name: red\n  user:\n    token: second\n"
		 "clusters:\n- name: k\n  cluster:\n    server: https://two:2\n"
		 "contexts:\n- name: ctx\n  context: {cluster: k, user: red}\n");
	p3 = put("three", "current-context: other\n");
	list = xasprintf("%s:/nonexistent/x:%s::%s:%s", p1, p2, p1, p3);
	e.kubeconfig = list;
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	/* first non-empty current-context wins (file 2), not file 3's */
	assert_string_equal(c.context, "ctx");
	/* first file's entries win entirely: no field merge */
	assert_string_equal(c.user.username, "first");
	assert_string_equal(c.user.token, "");
	assert_string_equal(c.host, "one");
	assert_int_equal(c.nfiles, 3);   /* duplicate p1 dropped, missing skipped */
	assert_int_equal(w.total, 0);
	kc_release(&c);
	warnings_release(&w);
	free(list);

	/* every entry missing: a warning, then "no kubeconfig" */
	e.kubeconfig = "/nonexistent/a:/nonexistent/b";
	assert_int_equal(load(&e, &f, &c, &w, &err), -1);
	assert_int_equal(w.total, 1);
	assert_non_null(strstr(err.msg, "no kubeconfig"));
	kc_release(&c);
	warnings_release(&w);

	/* a file that exists but does not parse is an error */
	p2 = put("bad", "clusters: [\n");
	list = xasprintf("%s:%s", p1, p2);
	e.kubeconfig = list;
	load_fails(&e, &f, "bad");
	free(list);
}

static void test_home_default(void **state)
{
	struct kc_env e = env0();
	struct kc_flags f = { 0 };
	struct kc_config c;
	struct warnings w;
	struct err err = ERR_INIT;

	(void)state;
	put(".kube/config", BASIC);
	e.home = dir;
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.context, "a");
	kc_release(&c);
	warnings_release(&w);
	/* KUBECONFIG set (even to other files) replaces ~/.kube/config */
	e.kubeconfig = put("k2", "current-context: \"\"\n");
	load_fails(&e, &f, "no cluster selected");
}

static void test_duplicates(void **state)
{
	struct kc_env e = env0();
	struct kc_flags f = { 0 };

	(void)state;
	f.kubeconfig = put("dup", "clusters:\n- name: x\n  cluster: {server: https://a}\n"
			   "- name: x\n  cluster: {server: https://b}\n");
	load_fails(&e, &f, "duplicate name \"x\" in clusters");
	f.kubeconfig = put("dup2", "users:\n- name: u\n  user: {}\n- name: u\n  user: {}\n");
	load_fails(&e, &f, "duplicate name \"u\" in users");
}

static void test_relative_paths(void **state)
{
	struct kc_env e = env0();
	struct kc_flags f = { 0 };
	struct kc_config c;
	struct warnings w;
	struct err err = ERR_INIT;
	char *want;

	(void)state;
	put("sub/ca.crt", "CA-PEM\n");
	put("sub/c.crt", "CERT-PEM\n");
	put("sub/c.key", "KEY-PEM\n");
	put("sub/tok", "  file-token \n");
	f.kubeconfig = put("sub/config",
			   "current-context: x\n"
			   "clusters:\n- name: k\n  cluster:\n    server: https://h\n"
			   "    certificate-authority: ca.crt\n"
			   "users:\n- name: u\n  user:\n    client-certificate: c.crt\n"
			   "    client-key: ./c.key\n    tokenFile: tok\n"
			   "contexts:\n- name: x\n  context: {cluster: k, user: u}\n");
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	want = xasprintf("%s/sub/ca.crt", dir);
	assert_string_equal(c.cluster.ca_file, want);
	free(want);
	assert_string_equal(c.cluster.ca_data.p, "CA-PEM\n");
	assert_string_equal(c.user.cert_data.p, "CERT-PEM\n");
	assert_string_equal(c.user.key_data.p, "KEY-PEM\n");
	want = xasprintf("%s/sub/./c.key", dir);
	assert_string_equal(c.user.key_file, want);
	free(want);
	want = xasprintf("%s/sub/tok", dir);
	assert_string_equal(c.user.token_file, want);
	free(want);
	kc_release(&c);
	warnings_release(&w);
}

static void test_cluster_fields(void **state)
{
	struct kc_env e = env0();
	struct kc_flags f = { 0 };
	struct kc_config c;
	struct warnings w;
	struct err err = ERR_INIT;

	(void)state;
	/* data (base64) wins over the file, with a warning */
	f.kubeconfig = put("c1", "current-context: x\n"
			   "clusters:\n- name: k\n  cluster:\n    server: https://[fd00::1]:8443/p\n"
			   "    certificate-authority: /nonexistent/ca\n"
			   "    certificate-authority-data: UEVN\n"
			   "    tls-server-name: kubernetes.default\n"
			   "    proxy-url: socks5://127.0.0.1:1080\n    disable-compression: true\n"
			   "    extensions:\n    - name: client.authentication.k8s.io/exec\n"
			   "      extension: {audience: foo}\n"
			   "contexts:\n- name: x\n  context: {cluster: k}\n");
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.cluster.ca_data.p, "PEM");
	assert_int_equal(w.total, 1);
	assert_string_equal(c.host, "[fd00::1]");
	assert_int_equal(c.port, 8443);
	assert_string_equal(c.prefix, "/p");
	assert_string_equal(c.cluster.tls_server_name, "kubernetes.default");
	assert_string_equal(c.cluster.proxy_url, "socks5://127.0.0.1:1080");
	assert_true(c.cluster.disable_compression);
	assert_string_equal(json_str(json_get(c.cluster.exec_ext, "audience")), "foo");
	kc_release(&c);
	warnings_release(&w);

	/* CA + insecure: error */
	f.kubeconfig = put("c2", "current-context: x\n"
			   "clusters:\n- name: k\n  cluster:\n    server: https://h\n"
			   "    certificate-authority-data: UEVN\n    insecure-skip-tls-verify: true\n"
			   "contexts:\n- name: x\n  context: {cluster: k}\n");
	load_fails(&e, &f, "insecure flag is not allowed");

	/* insecure alone: a warning */
	f.kubeconfig = put("c3", "current-context: x\n"
			   "clusters:\n- name: k\n  cluster:\n    server: https://h\n"
			   "    insecure-skip-tls-verify: true\n"
			   "contexts:\n- name: x\n  context: {cluster: k}\n");
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_int_equal(w.total, 1);
	assert_non_null(strstr(w.msg[0], "insecure-skip-tls-verify"));
	kc_release(&c);
	warnings_release(&w);

	/* bad base64, wrong types, bad URL, no server: errors naming file and field */
	f.kubeconfig = put("c4", "current-context: x\n"
			   "clusters:\n- name: k\n  cluster:\n    server: https://h\n"
			   "    certificate-authority-data: '!!notb64'\n"
			   "contexts:\n- name: x\n  context: {cluster: k}\n");
	assert_int_equal(load(&e, &f, &c, &w, &err), -1);
	assert_non_null(strstr(err.msg, "clusters[k].cluster.certificate-authority-data: not "
			       "valid base64"));
	assert_non_null(strstr(err.msg, "c4"));
	kc_release(&c);
	warnings_release(&w);
	f.kubeconfig = put("c5", "current-context: x\n"
			   "clusters:\n- name: k\n  cluster:\n    server: https://h\n"
			   "    insecure-skip-tls-verify: 'yes'\n"
			   "contexts:\n- name: x\n  context: {cluster: k}\n");
	load_fails(&e, &f, "insecure-skip-tls-verify: expected true or false");
	f.kubeconfig = put("c6", "current-context: x\n"
			   "clusters:\n- name: k\n  cluster:\n    server: https://h:99999\n"
			   "contexts:\n- name: x\n  context: {cluster: k}\n");
	load_fails(&e, &f, "not a valid URL");
	f.kubeconfig = put("c7", "current-context: x\n"
			   "clusters:\n- name: k\n  cluster: {}\n"
			   "contexts:\n- name: x\n  context: {cluster: k}\n");
	load_fails(&e, &f, "no server");
}

static void test_user_errors(void **state)
{
	static const struct { const char *user, *want; } cases[] = {
		{ "client-certificate-data: UEVN", "client-key-data or client-key must be" },
		{ "client-key-data: UEVN", "client-certificate-data or client-certificate must" },
		{ "token: t\n    username: u", "more than one authentication method" },
		{ "auth-provider: {name: gcp}", "gke-gcloud-auth-plugin" },
		{ "auth-provider: {name: azure}", "azure auth plugin has been removed" },
		{ "auth-provider: {name: oidc, config: {}}", "no id-token" },
		{ "auth-provider: {name: oidc}\n    exec: {command: x}", "authProvider cannot" },
		{ "exec: {command: x}", "apiVersion must be specified" },
		{ "exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}",
		  "invalid apiVersion" },
		{ "exec: {apiVersion: client.authentication.k8s.io/v1, command: x}",
		  "interactiveMode must be specified" },
		{ "exec: {apiVersion: client.authentication.k8s.io/v1beta1}",
		  "command must be specified" },
		{ "exec: {apiVersion: client.authentication.k8s.io/v1, command: x, "
		  "interactiveMode: Sometimes}", "invalid value \"Sometimes\"" },
		{ "tokenFile: /nonexistent/tok", "users[u].user.tokenFile" },
		{ "as-groups: [a]", "without as" },
	};
	struct kc_env e = env0();
	struct kc_flags f = { 0 };
	struct kc_config c;
	struct warnings w;
	struct err err = ERR_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = xasprintf("current-context: x\n"
				       "clusters:\n- name: k\n  cluster: {server: https://h}\n"
				       "users:\n- name: u\n  user:\n    %s\n"
				       "contexts:\n- name: x\n  context: {cluster: k, user: u}\n",
				       cases[i].user);
		f.kubeconfig = put("u", text);
		assert_int_equal(load(&e, &f, &c, &w, &err), -1);
		if (!strstr(err.msg, cases[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, err.msg, cases[i].want);
		/* never the secret values */
		assert_null(strstr(err.msg, "UEVN"));
		kc_release(&c);
		warnings_release(&w);
		free(text);
	}
}

static void test_in_cluster(void **state)
{
	struct kc_env e = env0();
	struct kc_flags f = { 0 };
	struct kc_config c;
	struct warnings w;
	struct err err = ERR_INIT;
	char *sa = xasprintf("%s/sa", dir);

	(void)state;
	put("sa/token", "sa-token\n");
	put("sa/ca.crt", "SA-CA");
	put("sa/namespace", "kube-system\n");
	e.sa_dir = sa;
	e.svc_host = "fd00::1";
	e.svc_port = "443";
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_true(c.in_cluster);
	assert_string_equal(c.cluster.server, "https://[fd00::1]:443");
	assert_string_equal(c.cluster.ca_data.p, "SA-CA");
	assert_string_equal(c.ns, "kube-system");
	kc_release(&c);
	warnings_release(&w);
	e.pod_namespace = "from-env";
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.ns, "from-env");
	kc_release(&c);
	warnings_release(&w);
	f.ns = "flag";
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_string_equal(c.ns, "flag");
	kc_release(&c);
	warnings_release(&w);
	/* without the service env: no in-cluster */
	e.svc_host = NULL;
	assert_int_equal(load(&e, &f, &c, &w, &err), -1);
	kc_release(&c);
	warnings_release(&w);
	/* a kubeconfig with a current context wins over in-cluster */
	e.svc_host = "10.0.0.1";
	f.kubeconfig = put("config", BASIC);
	assert_int_equal(load(&e, &f, &c, &w, &err), 0);
	assert_false(c.in_cluster);
	kc_release(&c);
	warnings_release(&w);
	free(sa);
}

static void test_b64(void **state)
{
	static const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
				     "Zm9vYmFy" };
	struct buf b;

	(void)state;
	for (size_t i = 0; i < 7; i++) {
		buf_init(&b, 0);
		assert_int_equal(b64_encode(&b, plain[i], strlen(plain[i])), 0);
		assert_string_equal(b.p, enc[i]);
		buf_reset(&b);
		assert_int_equal(b64_decode(&b, enc[i], strlen(enc[i])), 0);
		assert_string_equal(b.p, plain[i]);
		buf_release(&b);
	}
	buf_init(&b, 0);
	assert_int_equal(b64_decode(&b, "Zg=", 3), -1);
	assert_int_equal(b64_decode(&b, "Z===", 4), -1);
	assert_int_equal(b64_decode(&b, "Zg=a", 4), -1);
	assert_int_equal(b64_decode(&b, "Zm9v\nYg==", 9), -1);
	buf_release(&b);
}

/* ---- auth ---- */

static struct kc_config cfg;
static struct warnings cw;

static void load_user(const char *server, const char *user)
{
	struct kc_env e = env0();
	struct kc_flags f = { 0 };
	struct err err = ERR_INIT;
	char *text = xasprintf("current-context: x\n"
			       "clusters:\n- name: k\n  cluster: {server: '%s'}\n"
			       "users:\n- name: u\n  user:\n%s"
			       "contexts:\n- name: x\n  context: {cluster: k, user: u}\n",
			       server, user);
	f.kubeconfig = put("auth", text);
	free(text);
	if (load(&e, &f, &cfg, &cw, &err) < 0)
		fail_msg("load: %s", err.msg);
}

static void unload(void)
{
	kc_release(&cfg);
	warnings_release(&cw);
}

static void test_auth_static(void **state)
{
	struct auth a;
	struct auth_creds cr;
	struct err err = ERR_INIT;

	(void)state;
	load_user("https://h", "    token: T1\n");
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.bearer, "T1");
	assert_string_equal(cr.basic, "");
	assert_int_equal(auth_unauthorized(&a, cr.generation, &err), 0);
	auth_release(&a);
	unload();

	/* http: nothing is sent, and a warning says so */
	load_user("http://h", "    token: T1\n");
	assert_int_equal(cw.total, 1);
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.bearer, "");
	auth_release(&a);
	unload();

	load_user("https://h", "    username: bob\n    password: pw\n");
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.basic, "bob:pw");
	auth_release(&a);
	unload();

	load_user("https://h", "    auth-provider: {name: oidc, config: {id-token: IDT}}\n");
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.bearer, "IDT");
	auth_release(&a);
	unload();
}

static void test_auth_token_file(void **state)
{
	struct auth a;
	struct auth_creds cr;
	struct err err = ERR_INIT;
	unsigned g;

	(void)state;
	put("tok", "first\n");
	load_user("https://h", "    token: static\n    tokenFile: tok\n");
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	/* the file wins over token */
	assert_string_equal(cr.bearer, "first");
	put("tok", "second\n");
	/* not re-read within a minute */
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.bearer, "first");
	g = cr.generation;
	/* a 401 re-reads it: changed, so retry */
	assert_int_equal(auth_unauthorized(&a, g, &err), 1);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.bearer, "second");
	assert_true(cr.generation != g);
	/* a second 401 on the new generation with an unchanged file: no retry */
	assert_int_equal(auth_unauthorized(&a, cr.generation, &err), 0);
	assert_int_equal(auth_unauthorized(&a, cr.generation, &err), 0);
	auth_release(&a);
	unload();
}

/* A plugin script: prints its KUBERNETES_EXEC_INFO into dir/info, counts runs in dir/runs. */
static void write_plugin(const char *api, const char *status)
{
	char *script = xasprintf("#!/bin/sh\n"
				 "printf '%%s' \"$KUBERNETES_EXEC_INFO\" > '%s/info'\n"
				 "echo run >> '%s/runs'\n"
				 "echo \"$MY_VAR $1\" > '%s/args'\n"
				 "n=$(wc -l < '%s/runs')\n"
				 "cat <<EOF\n"
				 "{\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\","
				 "\"status\":%s}\n"
				 "EOF\n",
				 dir, dir, dir, dir, api, status);
	const char *p = put("bin/plugin", script);
	char *runs = xasprintf("%s/runs", dir);

	chmod(p, 0755);
	free(script);
	unlink(runs);
	free(runs);
}

static char *slurp(const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "r");
	char *s = xcalloc(1, 65536);
	if (f) {
		size_t n = fread(s, 1, 65535, f);
		s[n] = '\0';
		fclose(f);
	}
	free(p);
	return s;
}

#define V1 "client.authentication.k8s.io/v1"
#define EXEC_USER(api, extra) \
	"    exec:\n      apiVersion: " api "\n      command: ./bin/plugin\n" \
	"      args: [arg1]\n      env: [{name: MY_VAR, value: myval}]\n" \
	"      interactiveMode: Never\n" extra

static void test_auth_exec(void **state)
{
	struct auth a;
	struct auth_creds cr;
	struct err err = ERR_INIT;
	char *s;

	(void)state;
	write_plugin(V1, "{\"token\":\"tok-$n\",\"expirationTimestamp\":\"2999-01-01T00:00:00Z\"}");
	load_user("https://h", EXEC_USER(V1, "      provideClusterInfo: true\n"));
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.bearer, "tok-1");
	s = slurp("info");
	assert_string_equal(s, "{\"kind\":\"ExecCredential\",\"apiVersion\":\"" V1 "\","
			    "\"spec\":{\"cluster\":{\"server\":\"https://h\"},"
			    "\"interactive\":false}}");
	free(s);
	s = slurp("args");
	assert_string_equal(s, "myval arg1\n");
	free(s);
	/* cached until expiry */
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.bearer, "tok-1");
	assert_int_equal(a.exec_runs, 1);
	/* 401: run again once, retry */
	assert_int_equal(auth_unauthorized(&a, cr.generation, &err), 1);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.bearer, "tok-2");
	assert_int_equal(a.exec_runs, 2);
	/* a stale generation's 401 does not run it again (concurrent 401s) */
	assert_int_equal(auth_unauthorized(&a, cr.generation - 1, &err), 1);
	assert_int_equal(a.exec_runs, 2);
	auth_release(&a);
	unload();

	/* expired: run at every use */
	write_plugin(V1, "{\"token\":\"tok-$n\",\"expirationTimestamp\":\"2000-01-01T00:00:00Z\"}");
	load_user("https://h", EXEC_USER(V1, ""));
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.bearer, "tok-2");
	auth_release(&a);
	unload();

	/* a token in the kubeconfig skips the plugin */
	load_user("https://h", EXEC_USER(V1, "    token: static\n"));
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.bearer, "static");
	assert_int_equal(a.exec_runs, 0);
	auth_release(&a);
	unload();

	/* client certificate from the plugin */
	write_plugin(V1, "{\"clientCertificateData\":\"CERT\",\"clientKeyData\":\"KEY\"}");
	load_user("https://h", EXEC_USER(V1, ""));
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), 0);
	assert_string_equal(cr.cert.p, "CERT");
	assert_string_equal(cr.key.p, "KEY");
	assert_string_equal(cr.bearer, "");
	auth_release(&a);
	unload();
}

static void test_auth_exec_errors(void **state)
{
	static const struct { const char *api, *status, *want; } cases[] = {
		{ "client.authentication.k8s.io/v1beta1", "{\"token\":\"x\"}",
		  "plugin returned version client.authentication.k8s.io/v1beta1" },
		{ V1, "null", "didn't return a status field" },
		{ V1, "{}", "didn't return a token or cert/key pair" },
		{ V1, "{\"clientCertificateData\":\"C\"}", "only certificate or key" },
		{ V1, "{\"token\":\"x\",\"expirationTimestamp\":\"soon\"}", "expirationTimestamp" },
	};
	struct auth a;
	struct auth_creds cr;
	struct err err = ERR_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_plugin(cases[i].api, cases[i].status);
		load_user("https://h", EXEC_USER(V1, ""));
		auth_init(&a, &cfg);
		assert_int_equal(auth_get(&a, &cr, &err), -1);
		if (!strstr(err.msg, cases[i].want))
			fail_msg("case %zu: got '%s'", i, err.msg);
		auth_release(&a);
		unload();
	}
	/* missing binary: the install hint */
	load_user("https://h", "    exec:\n      apiVersion: " V1 "\n      command: no-such-plugin-x\n"
		  "      interactiveMode: Never\n      installHint: \"get it from \\e[1mhere\"\n");
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), -1);
	assert_non_null(strstr(err.msg, "no-such-plugin-x not found"));
	assert_non_null(strstr(err.msg, "get it from [1mhere"));
	auth_release(&a);
	unload();
	/* failing plugin */
	chmod(put("bin/fail", "#!/bin/sh\nexit 3\n"), 0755);
	load_user("https://h", "    exec:\n      apiVersion: " V1 "\n      command: ./bin/fail\n"
		  "      interactiveMode: Never\n");
	auth_init(&a, &cfg);
	assert_int_equal(auth_get(&a, &cr, &err), -1);
	assert_non_null(strstr(err.msg, "exit status 3"));
	auth_release(&a);
	unload();
	/* Always without a terminal */
	load_user("https://h", "    exec:\n      apiVersion: " V1 "\n      command: ./bin/fail\n"
		  "      interactiveMode: Always\n");
	auth_init(&a, &cfg);
	if (!isatty(0)) {
		assert_int_equal(auth_get(&a, &cr, &err), -1);
		assert_non_null(strstr(err.msg, "not a terminal"));
	}
	auth_release(&a);
	unload();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cluster_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_cluster, setup, teardown),
		cmocka_unit_test(test_b64),
		cmocka_unit_test_setup_teardown(test_auth_static, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auth_token_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auth_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auth_exec_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
