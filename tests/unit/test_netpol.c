/*
 * test_netpol: NetworkPolicy evaluation (src/netpol/), table-driven. Each
 * case builds a model from a fixed set of pods plus the case's policies
 * (and optionally Namespace objects and foreign policy kinds), evaluates
 * one connection and asserts the verdicts of the answer and of both sides
 * and the whole explanation as a signature: per side, the entries in
 * order (policy selected, no rules, rule admits / may admit / peer or port
 * miss, split peer, AND-ed peer, local node, hostNetwork).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/netpol/eval.h"
#include "../../src/util/buf.h"
#include "testutil.h"

/* ---- the world ---- */

#define CTL_LABELS "{'app.kubernetes.io/name':'ingress-nginx','app.kubernetes.io/component':'controller'}"

static const char *const pods[] = {
	"{'metadata':{'name':'ctl','namespace':'ingress-nginx','labels':" CTL_LABELS "},"
	"'spec':{'nodeName':'n1','containers':[{'name':'controller','ports':[{'name':'http',"
	"'containerPort':80}]}]},'status':{'podIP':'10.244.1.10','hostIP':'192.168.0.11'}}",
	"{'metadata':{'name':'ctlhost','namespace':'ingress-nginx','labels':" CTL_LABELS "},"
	"'spec':{'nodeName':'n1','hostNetwork':true,'containers':[{'name':'controller'}]},"
	"'status':{'podIP':'192.168.0.11','hostIP':'192.168.0.11'}}",
	"{'metadata':{'name':'ctlhost2','namespace':'ingress-nginx','labels':" CTL_LABELS "},"
	"'spec':{'nodeName':'n2','hostNetwork':true,'containers':[{'name':'controller'}]},"
	"'status':{'podIP':'192.168.0.12','hostIP':'192.168.0.12'}}",
	"{'metadata':{'name':'api','namespace':'shop','labels':{'app':'api','tier':'backend'}},"
	"'spec':{'nodeName':'n2','containers':[{'name':'app','ports':[{'name':'http',"
	"'containerPort':8080},{'name':'metrics','containerPort':9090},{'name':'dns',"
	"'containerPort':53,'protocol':'UDP'}]}]},'status':{'podIP':'10.244.2.20',"
	"'hostIP':'192.168.0.12'}}",
	"{'metadata':{'name':'api2','namespace':'shop','labels':{'app':'api'}},"
	"'spec':{'nodeName':'n2','containers':[{'name':'app','ports':[{'name':'http',"
	"'containerPort':8081}]}]},'status':{'podIP':'10.244.2.21','hostIP':'192.168.0.12'}}",
	"{'metadata':{'name':'web','namespace':'shop','labels':{'app':'web'}},"
	"'spec':{'nodeName':'n2','containers':[{'name':'web'}]},'status':{'podIP':'10.244.2.30'}}",
	"{'metadata':{'name':'prom','namespace':'monitoring','labels':{'app':'prom'}},"
	"'spec':{'nodeName':'n3','containers':[{'name':'prom'}]},'status':{'podIP':'10.244.3.40'}}",
	/* the documentation's example: namespace default, role=db and role=frontend */
	"{'metadata':{'name':'db','namespace':'default','labels':{'role':'db'}},"
	"'spec':{'nodeName':'n3','containers':[{'name':'redis','ports':[{'containerPort':6379}]}]},"
	"'status':{'podIP':'10.0.0.5'}}",
	"{'metadata':{'name':'fe','namespace':'default','labels':{'role':'frontend'}},"
	"'spec':{'nodeName':'n3','containers':[{'name':'fe','ports':[{'containerPort':5978}]}]},"
	"'status':{'podIP':'10.0.0.7'}}",
};

static const char *const namespaces[] = {
	/* no kubernetes.io/metadata.name here: the evaluator adds it */
	"{'metadata':{'name':'ingress-nginx','labels':{'team':'platform'}}}",
	"{'metadata':{'name':'shop','labels':{'kubernetes.io/metadata.name':'shop','env':'prod'}}}",
	"{'metadata':{'name':'monitoring'}}",
	"{'metadata':{'name':'default'}}",
};

#define P(ns, name, spec) "{'metadata':{'namespace':'" ns "','name':'" name "'},'spec':" spec "}"
#define NSNAME(n) "{'matchLabels':{'kubernetes.io/metadata.name':'" n "'}}"
#define CTLSEL "{'matchLabels':{'app.kubernetes.io/name':'ingress-nginx'}}"
/* allow ingress to every pod of shop from one rule */
#define ALLOW(rule) P("shop", "allow", "{'podSelector':{},'ingress':[" rule "]}")
#define DENY_IN(ns) P(ns, "deny", "{'podSelector':{},'policyTypes':['Ingress']}")
#define DENY_EG(ns) P(ns, "deny", "{'podSelector':{},'policyTypes':['Egress']}")

#define CILIUM(ns) "{'apiVersion':'cilium.io/v2','kind':'CiliumNetworkPolicy'," \
	"'metadata':{'name':'cnp','namespace':'" ns "'},'spec':{'endpointSelector':{}}}"

enum { A = NP_ALLOWED, D = NP_DENIED, I = NP_INDETERMINATE, N = NP_NOT_EVALUATED };

static const struct tcase {
	const char *name;
	const char *pols;      /* JSON array of NetworkPolicies */
	const char *foreign;   /* one foreign policy object, or NULL */
	bool with_ns;          /* Namespace objects in the input */
	const char *src, *dst;
	int port;
	const char *proto;     /* NULL: TCP */
	int want, want_k8s, want_in, want_eg;
	const char *sig;       /* the explanation, see signature() */
	const char *text;      /* a substring of the rendered explanation, or NULL */
} cases[] = {
	/* isolation, defaults, unions */
	{ "no policies", "[]", NULL, false, "ctl", "api", 8080, NULL, A, A, A, A,
	  "I:OPEN E:OPEN", "no NetworkPolicy of namespace shop selects pod shop/api" },
	{ "default deny ingress", "[" DENY_IN("shop") "]", NULL, false, "ctl", "api", 8080, NULL,
	  D, D, D, A, "I:SEL deny,NORULES deny E:OPEN", "default deny" },
	{ "policy in another namespace", "[" DENY_IN("monitoring") "]", NULL, false, "ctl", "api",
	  8080, NULL, A, A, A, A, "I:OPEN E:OPEN", NULL },
	{ "policy selecting other pods", "[" P("shop", "deny", "{'podSelector':{'matchLabels':"
	  "{'app':'web'}},'policyTypes':['Ingress']}") "]", NULL, false, "ctl", "api", 8080, NULL,
	  A, A, A, A, "I:OPEN E:OPEN", NULL },
	{ "allow all ingress [{}]", "[" P("shop", "all", "{'podSelector':{},'ingress':[{}]}") "]",
	  NULL, false, "ctl", "api", 8080, NULL, A, A, A, A, "I:SEL all,ADMIT all 0.*.* E:OPEN",
	  "admits ingress-nginx/ctl: every source, port any" },
	{ "ingress [] denies all", "[" P("shop", "none", "{'podSelector':{},'ingress':[],"
	  "'policyTypes':['Ingress']}") "]", NULL, false, "ctl", "api", 8080, NULL, D, D, D, A,
	  "I:SEL none,NORULES none E:OPEN", NULL },
	{ "union: deny + allow", "[" DENY_IN("shop") "," P("shop", "allow", "{'podSelector':{},"
	  "'ingress':[{}]}") "]", NULL, false, "ctl", "api", 8080, NULL, A, A, A, A,
	  "I:SEL allow,ADMIT allow 0.*.*,SEL deny,NORULES deny E:OPEN", NULL },
	{ "union: order irrelevant", "[" P("shop", "z-allow", "{'podSelector':{},'ingress':[{}]}")
	  "," P("shop", "a-deny", "{'podSelector':{},'policyTypes':['Ingress']}") "]", NULL, false,
	  "ctl", "api", 8080, NULL, A, A, A, A,
	  "I:SEL a-deny,NORULES a-deny,SEL z-allow,ADMIT z-allow 0.*.* E:OPEN", NULL },
	{ "absent podSelector selects all", "[" P("shop", "deny", "{'policyTypes':['Ingress']}") "]",
	  NULL, false, "ctl", "api", 8080, NULL, D, D, D, A, "I:SEL deny,NORULES deny E:OPEN",
	  "(podSelector {})" },
	{ "egress rules without policyTypes also isolate ingress", "[" P("shop", "eg",
	  "{'podSelector':{},'egress':[{}]}") "]", NULL, false, "ctl", "api", 8080, NULL, D, D, D, A,
	  "I:SEL eg,NORULES eg E:OPEN", NULL },
	{ "policyTypes [Egress] does not isolate ingress", "[" P("shop", "eg", "{'podSelector':{},"
	  "'egress':[{}],'policyTypes':['Egress']}") "]", NULL, false, "ctl", "api", 8080, NULL,
	  A, A, A, A, "I:OPEN E:OPEN", NULL },
	{ "ingress+egress types, ingress rule only", "[" P("shop", "both", "{'podSelector':{},"
	  "'ingress':[{}],'policyTypes':['Ingress','Egress']}") "]", NULL, false, "ctl", "api",
	  8080, NULL, A, A, A, A, "I:SEL both,ADMIT both 0.*.* E:OPEN", NULL },
	{ "backend egress deny is not on the path", "[" DENY_EG("shop") "]", NULL, false, "ctl",
	  "api", 8080, NULL, A, A, A, A, "I:OPEN E:OPEN", NULL },
	{ "podSelector In selects", "[" P("shop", "deny", "{'podSelector':{'matchExpressions':"
	  "[{'key':'tier','operator':'In','values':['backend']}]},'policyTypes':['Ingress']}") "]",
	  NULL, false, "ctl", "api", 8080, NULL, D, D, D, A, "I:SEL deny,NORULES deny E:OPEN",
	  "tier in (backend)" },
	{ "podSelector NotIn does not select", "[" P("shop", "deny", "{'podSelector':"
	  "{'matchExpressions':[{'key':'tier','operator':'NotIn','values':['backend']}]},"
	  "'policyTypes':['Ingress']}") "]", NULL, false, "ctl", "api", 8080, NULL, A, A, A, A,
	  "I:OPEN E:OPEN", NULL },
	{ "invalid podSelector selects nothing", "[" P("shop", "deny", "{'podSelector':"
	  "{'matchExpressions':[{'key':'tier','operator':'Equals','values':['x']}]},"
	  "'policyTypes':['Ingress']}") "]", NULL, false, "ctl", "api", 8080, NULL, A, A, A, A,
	  "I:OPEN E:OPEN", NULL },

	/* namespace labels */
	{ "nsSelector metadata.name, derived", "[" ALLOW("{'from':[{'namespaceSelector':"
	  NSNAME("ingress-nginx") "}]}") "]", NULL, false, "ctl", "api", 8080, NULL, A, A, A, A,
	  "I:SEL allow,ADMIT allow 0.0.* E:OPEN", "kubernetes.io/metadata.name=ingress-nginx" },
	{ "nsSelector metadata.name added to Namespace labels", "[" ALLOW("{'from':[{"
	  "'namespaceSelector':" NSNAME("ingress-nginx") "}]}") "]", NULL, true, "ctl", "api",
	  8080, NULL, A, A, A, A, "I:SEL allow,ADMIT allow 0.0.* E:OPEN", NULL },
	{ "nsSelector other label, Namespaces absent", "[" ALLOW("{'from':[{'namespaceSelector':"
	  "{'matchLabels':{'team':'platform'}}}]}") "]", NULL, false, "ctl", "api", 8080, NULL,
	  I, I, I, A, "I:SEL allow,MAYBE allow 0.0.* E:OPEN", "are unknown" },
	{ "nsSelector other label, Namespaces present", "[" ALLOW("{'from':[{'namespaceSelector':"
	  "{'matchLabels':{'team':'platform'}}}]}") "]", NULL, true, "ctl", "api", 8080, NULL,
	  A, A, A, A, "I:SEL allow,ADMIT allow 0.0.* E:OPEN", NULL },
	{ "nsSelector label mismatch", "[" ALLOW("{'from':[{'namespaceSelector':"
	  "{'matchLabels':{'team':'payments'}}}]}") "]", NULL, true, "ctl", "api", 8080, NULL,
	  D, D, D, A, "I:SEL allow,PEERMISS allow 0 E:OPEN", "no from peer matches" },
	{ "nsSelector {} = every namespace", "[" ALLOW("{'from':[{'namespaceSelector':{}}]}") "]",
	  NULL, false, "ctl", "api", 8080, NULL, A, A, A, A, "I:SEL allow,ADMIT allow 0.0.* E:OPEN",
	  NULL },
	{ "nsSelector In on metadata.name, derived", "[" ALLOW("{'from':[{'namespaceSelector':"
	  "{'matchExpressions':[{'key':'kubernetes.io/metadata.name','operator':'In','values':"
	  "['kube-system','ingress-nginx']}]}}]}") "]", NULL, false, "ctl", "api", 8080, NULL,
	  A, A, A, A, "I:SEL allow,ADMIT allow 0.0.* E:OPEN", NULL },
	{ "nsSelector NotIn on metadata.name, derived", "[" ALLOW("{'from':[{'namespaceSelector':"
	  "{'matchExpressions':[{'key':'kubernetes.io/metadata.name','operator':'NotIn','values':"
	  "['ingress-nginx']}]}}]}") "]", NULL, false, "ctl", "api", 8080, NULL, D, D, D, A,
	  "I:SEL allow,PEERMISS allow 0 E:OPEN", NULL },
	{ "nsSelector DoesNotExist, derived", "[" ALLOW("{'from':[{'namespaceSelector':"
	  "{'matchExpressions':[{'key':'team','operator':'DoesNotExist'}]}}]}") "]", NULL, false,
	  "ctl", "api", 8080, NULL, I, I, I, A, "I:SEL allow,MAYBE allow 0.0.* E:OPEN", NULL },
	{ "nsSelector DoesNotExist, Namespaces present", "[" ALLOW("{'from':[{'namespaceSelector':"
	  "{'matchExpressions':[{'key':'team','operator':'DoesNotExist'}]}}]}") "]", NULL, true,
	  "ctl", "api", 8080, NULL, D, D, D, A, "I:SEL allow,PEERMISS allow 0 E:OPEN", NULL },

	/* AND vs OR */
	{ "AND peer admits", "[" ALLOW("{'from':[{'namespaceSelector':" NSNAME("ingress-nginx")
	  ",'podSelector':" CTLSEL "}]}") "]", NULL, false, "ctl", "api", 8080, NULL, A, A, A, A,
	  "I:SEL allow,ADMIT allow 0.0.* E:OPEN", " AND podSelector " },
	{ "AND peer: pod half fails", "[" ALLOW("{'from':[{'namespaceSelector':"
	  NSNAME("ingress-nginx") ",'podSelector':{'matchLabels':{'app':'frontend'}}}]}") "]", NULL,
	  false, "ctl", "api", 8080, NULL, D, D, D, A,
	  "I:SEL allow,PEERMISS allow 0,AND allow 0.0.yn E:OPEN", "is ONE item with namespaceSelector" },
	{ "AND peer: namespace half fails", "[" ALLOW("{'from':[{'namespaceSelector':"
	  NSNAME("monitoring") ",'podSelector':" CTLSEL "}]}") "]", NULL, false, "ctl", "api", 8080,
	  NULL, D, D, D, A, "I:SEL allow,PEERMISS allow 0,AND allow 0.0.ny E:OPEN",
	  "namespace ingress-nginx does not match it" },
	{ "AND peer with unknown namespace label", "[" ALLOW("{'from':[{'namespaceSelector':"
	  "{'matchLabels':{'team':'platform'}},'podSelector':" CTLSEL "}]}") "]", NULL, false, "ctl",
	  "api", 8080, NULL, I, I, I, A, "I:SEL allow,MAYBE allow 0.0.* E:OPEN", NULL },
	{ "OR items: namespace item admits", "[" ALLOW("{'from':[{'namespaceSelector':"
	  NSNAME("ingress-nginx") "},{'podSelector':{'matchLabels':{'app':'frontend'}}}]}") "]",
	  NULL, false, "ctl", "api", 8080, NULL, A, A, A, A, "I:SEL allow,ADMIT allow 0.0.* E:OPEN",
	  "(every pod of those namespaces)" },
	{ "split peer: podSelector alone is same-namespace", "[" ALLOW("{'from':[{'namespaceSelector':"
	  NSNAME("monitoring") "},{'podSelector':" CTLSEL "}]}") "]", NULL, false, "ctl", "api",
	  8080, NULL, D, D, D, A, "I:SEL allow,PEERMISS allow 0,SPLIT allow 0.1 E:OPEN",
	  "is a podSelector alone" },
	{ "split items: same-namespace pod admitted by item 1", "[" ALLOW("{'from':[{"
	  "'namespaceSelector':" NSNAME("monitoring") "},{'podSelector':{'matchLabels':"
	  "{'app':'web'}}}]}") "]", NULL, false, "web", "api", 8080, NULL, A, A, A, A,
	  "I:SEL allow,ADMIT allow 0.1.* E:OPEN", "pods of the policy's namespace only" },
	{ "split peer from another namespace", "[" ALLOW("{'from':[{'podSelector':{'matchLabels':"
	  "{'app':'prom'}}}]}") "]", NULL, false, "prom", "api", 9090, NULL, D, D, D, A,
	  "I:SEL allow,PEERMISS allow 0,SPLIT allow 0.0 E:OPEN", "runs in namespace monitoring" },

	/* ports */
	{ "numeric port admits", "[" ALLOW("{'from':[{'namespaceSelector':" NSNAME("ingress-nginx")
	  "}],'ports':[{'port':8080}]}") "]", NULL, false, "ctl", "api", 8080, NULL, A, A, A, A,
	  "I:SEL allow,ADMIT allow 0.0.0 E:OPEN", "port 8080/TCP" },
	{ "numeric port mismatch", "[" ALLOW("{'from':[{'namespaceSelector':" NSNAME("ingress-nginx")
	  "}],'ports':[{'port':80}]}") "]", NULL, false, "ctl", "api", 8080, NULL, D, D, D, A,
	  "I:SEL allow,PORTMISS allow 0.0 E:OPEN", "but not port 8080/TCP on pod shop/api: ports 80/TCP" },
	{ "named port resolves on destination", "[" ALLOW("{'ports':[{'port':'http'}]}") "]", NULL,
	  false, "ctl", "api", 8080, NULL, A, A, A, A, "I:SEL allow,ADMIT allow 0.*.0 E:OPEN",
	  "http/TCP" },
	{ "named port: other number on another pod", "[" ALLOW("{'ports':[{'port':'http'}]}") "]",
	  NULL, false, "ctl", "api2", 8081, NULL, A, A, A, A, "I:SEL allow,ADMIT allow 0.*.0 E:OPEN",
	  NULL },
	{ "named port of another name", "[" ALLOW("{'ports':[{'port':'metrics'}]}") "]", NULL, false,
	  "ctl", "api", 8080, NULL, D, D, D, A, "I:SEL allow,PORTMISS allow 0.* E:OPEN", NULL },
	{ "named port, wrong protocol", "[" ALLOW("{'ports':[{'port':'http','protocol':'UDP'}]}")
	  "]", NULL, false, "ctl", "api", 8080, NULL, D, D, D, A,
	  "I:SEL allow,PORTMISS allow 0.* E:OPEN", NULL },
	{ "UDP port entry, UDP traffic", "[" ALLOW("{'ports':[{'port':53,'protocol':'UDP'}]}") "]",
	  NULL, false, "ctl", "api", 53, "UDP", A, A, A, A, "I:SEL allow,ADMIT allow 0.*.0 E:OPEN",
	  "53/UDP" },
	{ "protocol defaults to TCP", "[" ALLOW("{'ports':[{'port':53}]}") "]", NULL, false, "ctl",
	  "api", 53, "UDP", D, D, D, A, "I:SEL allow,PORTMISS allow 0.* E:OPEN", NULL },
	{ "named UDP port", "[" ALLOW("{'ports':[{'port':'dns','protocol':'UDP'}]}") "]", NULL,
	  false, "ctl", "api", 53, "UDP", A, A, A, A, "I:SEL allow,ADMIT allow 0.*.0 E:OPEN", NULL },
	{ "endPort range admits", "[" ALLOW("{'ports':[{'port':8000,'endPort':8090}]}") "]", NULL,
	  false, "ctl", "api", 8080, NULL, A, A, A, A, "I:SEL allow,ADMIT allow 0.*.0 E:OPEN",
	  "8000-8090/TCP" },
	{ "endPort range misses", "[" ALLOW("{'ports':[{'port':8081,'endPort':8090}]}") "]", NULL,
	  false, "ctl", "api", 8080, NULL, D, D, D, A, "I:SEL allow,PORTMISS allow 0.* E:OPEN", NULL },
	{ "endPort inclusive", "[" ALLOW("{'ports':[{'port':8000,'endPort':8080}]}") "]", NULL,
	  false, "ctl", "api", 8080, NULL, A, A, A, A, "I:SEL allow,ADMIT allow 0.*.0 E:OPEN", NULL },
	{ "endPort with named port is invalid", "[" ALLOW("{'ports':[{'port':'http','endPort':9000}]}")
	  "]", NULL, false, "ctl", "api", 8080, NULL, D, D, D, A,
	  "I:SEL allow,PORTMISS allow 0.* E:OPEN", "invalid port entry" },
	{ "endPort below port is invalid", "[" ALLOW("{'ports':[{'port':9000,'endPort':8000}]}") "]",
	  NULL, false, "ctl", "api", 8080, NULL, D, D, D, A, "I:SEL allow,PORTMISS allow 0.* E:OPEN",
	  NULL },
	{ "protocol only: every TCP port", "[" ALLOW("{'ports':[{'protocol':'TCP'}]}") "]", NULL,
	  false, "ctl", "api", 8080, NULL, A, A, A, A, "I:SEL allow,ADMIT allow 0.*.0 E:OPEN",
	  "all ports/TCP" },
	{ "SCTP only", "[" ALLOW("{'ports':[{'protocol':'SCTP'}]}") "]", NULL, false, "ctl", "api",
	  8080, NULL, D, D, D, A, "I:SEL allow,PORTMISS allow 0.* E:OPEN", NULL },
	{ "ports [] = every port", "[" ALLOW("{'from':[{'namespaceSelector':{}}],'ports':[]}") "]",
	  NULL, false, "ctl", "api", 8080, NULL, A, A, A, A, "I:SEL allow,ADMIT allow 0.0.* E:OPEN",
	  NULL },
	{ "from [] = every source", "[" ALLOW("{'from':[],'ports':[{'port':8080}]}") "]", NULL,
	  false, "ctl", "api", 8080, NULL, A, A, A, A, "I:SEL allow,ADMIT allow 0.*.0 E:OPEN", NULL },
	{ "second rule admits", "[" ALLOW("{'from':[{'namespaceSelector':" NSNAME("ingress-nginx")
	  "}],'ports':[{'port':80}]},{'from':[{'namespaceSelector':" NSNAME("ingress-nginx") "}],"
	  "'ports':[{'port':8080}]}") "]", NULL, false, "ctl", "api", 8080, NULL, A, A, A, A,
	  "I:SEL allow,PORTMISS allow 0.0,ADMIT allow 1.0.0 E:OPEN", NULL },

	/* ipBlock */
	{ "ipBlock on a pod IP is CNI-specific", "[" ALLOW("{'from':[{'ipBlock':{'cidr':"
	  "'10.244.0.0/16'}}]}") "]", NULL, false, "ctl", "api", 8080, NULL, I, I, I, A,
	  "I:SEL allow,MAYBE allow 0.0.* E:OPEN", "CNI-specific" },
	{ "ipBlock except excludes the pod IP", "[" ALLOW("{'from':[{'ipBlock':{'cidr':"
	  "'10.244.0.0/16','except':['10.244.1.0/24']}}]}") "]", NULL, false, "ctl", "api", 8080,
	  NULL, D, D, D, A, "I:SEL allow,PEERMISS allow 0 E:OPEN", "except 10.244.1.0/24" },
	{ "ipBlock of node IPs, pod-network controller", "[" ALLOW("{'from':[{'ipBlock':{'cidr':"
	  "'192.168.0.0/24'}}]}") "]", NULL, false, "ctl", "api", 8080, NULL, D, D, D, A,
	  "I:SEL allow,PEERMISS allow 0 E:OPEN", NULL },
	{ "ipBlock with a selector is invalid", "[" ALLOW("{'from':[{'ipBlock':{'cidr':"
	  "'10.0.0.0/8'},'podSelector':{}}]}") "]", NULL, false, "ctl", "api", 8080, NULL,
	  D, D, D, A, "I:SEL allow,PEERMISS allow 0 E:OPEN", "may not specify both ipBlock" },
	{ "ipBlock except not a strict subset", "[" ALLOW("{'from':[{'ipBlock':{'cidr':"
	  "'10.244.0.0/16','except':['10.244.0.0/16']}}]}") "]", NULL, false, "ctl", "api", 8080,
	  NULL, D, D, D, A, "I:SEL allow,PEERMISS allow 0 E:OPEN", "strict subsets" },
	{ "empty peer is invalid", "[" ALLOW("{'from':[{}]}") "]", NULL, false, "ctl", "api", 8080,
	  NULL, D, D, D, A, "I:SEL allow,PEERMISS allow 0 E:OPEN", "must specify a peer" },

	/* hostNetwork controller */
	{ "hostNetwork controller, default deny", "[" DENY_IN("shop") "]", NULL, false, "ctlhost",
	  "api", 8080, NULL, D, D, D, A, "I:SEL deny,NORULES deny E:OPEN", NULL },
	{ "hostNetwork controller, selector rule", "[" ALLOW("{'from':[{'namespaceSelector':"
	  NSNAME("ingress-nginx") "}]}") "]", NULL, false, "ctlhost", "api", 8080, NULL, I, I, I, A,
	  "I:SEL allow,MAYBE allow 0.0.* E:OPEN", "uses hostNetwork" },
	{ "hostNetwork controller, node ipBlock", "[" ALLOW("{'from':[{'ipBlock':{'cidr':"
	  "'192.168.0.0/24'}}]}") "]", NULL, false, "ctlhost", "api", 8080, NULL, I, I, I, A,
	  "I:SEL allow,MAYBE allow 0.0.* E:OPEN", "ipBlock 192.168.0.0/24" },
	{ "hostNetwork controller on the pod's node", "[" DENY_IN("shop") "]", NULL, false,
	  "ctlhost2", "api", 8080, NULL, A, A, A, A, "I:SEL deny,NORULES deny,LOCAL E:OPEN",
	  "own node is always allowed" },
	{ "hostNetwork controller egress deny", "[" DENY_EG("ingress-nginx") "]", NULL, false,
	  "ctlhost", "api", 8080, NULL, I, I, A, I, "I:OPEN E:SEL deny,NORULES deny,HOSTNET", NULL },

	/* controller egress */
	{ "controller egress default deny", "[" DENY_EG("ingress-nginx") "]", NULL, false, "ctl",
	  "api", 8080, NULL, D, D, A, D, "I:OPEN E:SEL deny,NORULES deny", "no egress rules" },
	{ "controller egress AND peer to the backend", "[" P("ingress-nginx", "eg", "{'podSelector':"
	  "{},'policyTypes':['Egress'],'egress':[{'to':[{'namespaceSelector':" NSNAME("shop") ","
	  "'podSelector':{'matchLabels':{'app':'api'}}}],'ports':[{'port':8080}]}]}") "]", NULL,
	  false, "ctl", "api", 8080, NULL, A, A, A, A, "I:OPEN E:SEL eg,ADMIT eg 0.0.0", NULL },
	{ "controller egress named port on the destination", "[" P("ingress-nginx", "eg",
	  "{'podSelector':{},'policyTypes':['Egress'],'egress':[{'to':[{'namespaceSelector':"
	  NSNAME("shop") "}],'ports':[{'port':'http'}]}]}") "]", NULL, false, "ctl", "api", 8080,
	  NULL, A, A, A, A, "I:OPEN E:SEL eg,ADMIT eg 0.0.0", NULL },
	{ "egress named port is not the source's", "[" P("ingress-nginx", "eg", "{'podSelector':{},"
	  "'policyTypes':['Egress'],'egress':[{'to':[{'namespaceSelector':" NSNAME("shop") "}],"
	  "'ports':[{'port':'http'}]}]}") "]", NULL, false, "ctl", "api", 80, NULL, D, D, A, D,
	  "I:OPEN E:SEL eg,PORTMISS eg 0.0", NULL },
	{ "controller egress DNS only", "[" P("ingress-nginx", "dns", "{'podSelector':{},"
	  "'policyTypes':['Egress'],'egress':[{'ports':[{'port':53,'protocol':'UDP'}]}]}") "]",
	  NULL, false, "ctl", "api", 8080, NULL, D, D, A, D, "I:OPEN E:SEL dns,PORTMISS dns 0.*",
	  "ports 53/UDP" },
	{ "egress split peer", "[" P("ingress-nginx", "eg", "{'podSelector':{},'policyTypes':"
	  "['Egress'],'egress':[{'to':[{'podSelector':{'matchLabels':{'app':'api'}}}]}]}") "]", NULL,
	  false, "ctl", "api", 8080, NULL, D, D, A, D, "I:OPEN E:SEL eg,PEERMISS eg 0,SPLIT eg 0.0",
	  "ONE to item" },
	{ "both sides deny", "[" DENY_IN("shop") "," DENY_EG("ingress-nginx") "]", NULL, false,
	  "ctl", "api", 8080, NULL, D, D, D, D, "I:SEL deny,NORULES deny E:SEL deny,NORULES deny",
	  NULL },

	/* the documentation's example policy (concepts/services-networking/network-policies) */
	{ "docs example: frontend to db 6379", "[" P("default", "test-network-policy",
	  "{'podSelector':{'matchLabels':{'role':'db'}},'policyTypes':['Ingress','Egress'],"
	  "'ingress':[{'from':[{'ipBlock':{'cidr':'172.17.0.0/16','except':['172.17.1.0/24']}},"
	  "{'namespaceSelector':{'matchLabels':{'project':'myproject'}}},{'podSelector':"
	  "{'matchLabels':{'role':'frontend'}}}],'ports':[{'protocol':'TCP','port':6379}]}],"
	  "'egress':[{'to':[{'ipBlock':{'cidr':'10.0.0.0/24'}}],'ports':[{'protocol':'TCP',"
	  "'port':5978}]}]}") "]", NULL, true, "fe", "db", 6379, NULL, A, A, A, A,
	  "I:SEL test-network-policy,ADMIT test-network-policy 0.2.0 E:OPEN", NULL },
	{ "docs example: other port", "[" P("default", "test-network-policy",
	  "{'podSelector':{'matchLabels':{'role':'db'}},'policyTypes':['Ingress','Egress'],"
	  "'ingress':[{'from':[{'podSelector':{'matchLabels':{'role':'frontend'}}}],"
	  "'ports':[{'protocol':'TCP','port':6379}]}]}") "]", NULL, true, "fe", "db", 80, NULL,
	  D, D, D, A, "I:SEL test-network-policy,PORTMISS test-network-policy 0.0 E:OPEN", NULL },
	{ "docs example: db egress by ipBlock", "[" P("default", "test-network-policy",
	  "{'podSelector':{'matchLabels':{'role':'db'}},'policyTypes':['Ingress','Egress'],"
	  "'egress':[{'to':[{'ipBlock':{'cidr':'10.0.0.0/24'}}],'ports':[{'protocol':'TCP',"
	  "'port':5978}]}]}") "]", NULL, true, "db", "fe", 5978, NULL, I, I, A, I,
	  "I:OPEN E:SEL test-network-policy,MAYBE test-network-policy 0.0.0", NULL },
	{ "docs example: project label, Namespaces present", "[" P("default", "p",
	  "{'podSelector':{'matchLabels':{'role':'db'}},'ingress':[{'from':[{'namespaceSelector':"
	  "{'matchLabels':{'project':'myproject'}}}]}]}") "]", NULL, true, "prom", "db", 6379, NULL,
	  D, D, D, A, "I:SEL p,PEERMISS p 0 E:OPEN", NULL },

	/* policies the tool does not evaluate */
	{ "CiliumNetworkPolicy: not evaluated", "[]", CILIUM("shop"), false, "ctl", "api", 8080,
	  NULL, N, A, A, A, "I:OPEN E:OPEN", NULL },
	{ "Calico NetworkPolicy is not a k8s one", "[" P("shop", "all", "{'podSelector':{},"
	  "'ingress':[{}]}") "]", "{'apiVersion':'projectcalico.org/v3','kind':'NetworkPolicy',"
	  "'metadata':{'name':'deny','namespace':'shop'},'spec':{'selector':'all()','types':"
	  "['Ingress']}}", false, "ctl", "api", 8080, NULL, N, A, A, A,
	  "I:SEL all,ADMIT all 0.*.* E:OPEN", NULL },
	{ "AdminNetworkPolicy is cluster-wide", "[" DENY_IN("shop") "]", "{'apiVersion':"
	  "'policy.networking.k8s.io/v1alpha1','kind':'AdminNetworkPolicy','metadata':{'name':"
	  "'allow-ingress'},'spec':{'priority':10}}", false, "ctl", "api", 8080, NULL, N, D, D, A,
	  "I:SEL deny,NORULES deny E:OPEN", NULL },
	{ "CiliumNetworkPolicy elsewhere does not apply", "[]", CILIUM("monitoring"), false, "ctl",
	  "api", 8080, NULL, A, A, A, A, "I:OPEN E:OPEN", NULL },
	{ "Calico GlobalNetworkPolicy", "[]", "{'apiVersion':'crd.projectcalico.org/v1','kind':"
	  "'GlobalNetworkPolicy','metadata':{'name':'g'},'spec':{}}", false, "prom", "api", 8080,
	  NULL, N, A, A, A, "I:OPEN E:OPEN", NULL },
};

/* ---- harness ---- */

static char tri_c(enum np_tri t)
{
	return t == NP_YES ? 'y' : t == NP_MAYBE ? 'm' : 'n';
}

static void idx(struct buf *b, int v, bool dot)
{
	if (v < 0)
		buf_addf(b, "%s*", dot ? "." : "");
	else
		buf_addf(b, "%s%d", dot ? "." : "", v);
}

/* "SEL deny,NORULES deny" etc. for one side */
static void side_sig(struct buf *b, const struct np_side *s)
{
	static const char *const names[] = {
		[NPW_NOT_ISOLATED] = "OPEN", [NPW_SELECTS] = "SEL", [NPW_NO_RULES] = "NORULES",
		[NPW_ADMITS] = "ADMIT", [NPW_MAYBE] = "MAYBE", [NPW_PEER_MISS] = "PEERMISS",
		[NPW_PORT_MISS] = "PORTMISS", [NPW_SPLIT_PEER] = "SPLIT", [NPW_AND_PEER] = "AND",
		[NPW_LOCAL_NODE] = "LOCAL", [NPW_HOSTNET] = "HOSTNET",
	};
	for (size_t i = 0; i < s->nwhy; i++) {
		const struct np_why *w = &s->why[i];
		buf_addf(b, "%s%s", i ? "," : "", names[w->code]);
		if (w->pol)
			buf_addf(b, " %s", w->pol->np->meta.name);
		switch (w->code) {
		case NPW_ADMITS:
		case NPW_MAYBE:
			buf_addf(b, " %d", w->rule);
			idx(b, w->peer, true);
			idx(b, w->port, true);
			break;
		case NPW_PEER_MISS:
			buf_addf(b, " %d", w->rule);
			break;
		case NPW_PORT_MISS:
		case NPW_SPLIT_PEER:
			buf_addf(b, " %d", w->rule);
			idx(b, w->peer, true);
			break;
		case NPW_AND_PEER:
			buf_addf(b, " %d.%d.%c%c", w->rule, w->peer, tri_c(w->ns_match),
				 tri_c(w->pod_match));
			break;
		default:
			break;
		}
	}
}

static void run_case(const struct tcase *t)
{
	struct tu_model tm;
	struct arena ea;
	struct np_index x;
	struct np_result r;
	struct np_conn c = { 0 };
	const struct json *pols;
	struct buf sig, txt;

	tu_model_init(&tm);
	arena_init(&ea, 0);
	for (size_t i = 0; i < sizeof(pods) / sizeof(pods[0]); i++)
		tu_add(&tm, "Pod", "v1", pods[i]);
	for (size_t i = 0; t->with_ns && i < sizeof(namespaces) / sizeof(namespaces[0]); i++)
		tu_add(&tm, "Namespace", "v1", namespaces[i]);
	pols = tu_parse(&tm.a, t->pols);
	for (uint32_t i = 0; i < pols->n; i++)
		tu_add_obj(&tm.m, &pols->u.items[i], "NetworkPolicy", "networking.k8s.io/v1");
	model_kind_seen(&tm.m, "NetworkPolicy");
	if (t->foreign) {
		const struct json *f = tu_parse(&tm.a, t->foreign);
		tu_add_obj(&tm.m, f, json_str(json_get(f, "kind")),
			   json_str(json_get(f, "apiVersion")));
	}
	model_finish(&tm.m);
	assert_int_equal(tm.m.nnetpols, pols->n);
	assert_int_equal(tm.m.nforeign_pols, t->foreign ? 1 : 0);

	np_index_init(&x, &tm.m);
	c.src = model_pod(&tm.m, t->src[0] == 'c' ? "ingress-nginx" :
			  t->src[0] == 'p' ? "monitoring" :
			  !strcmp(t->src, "fe") || !strcmp(t->src, "db") ? "default" : "shop", t->src);
	c.dst = model_pod(&tm.m, !strcmp(t->dst, "fe") || !strcmp(t->dst, "db") ? "default"
			  : "shop", t->dst);
	assert_non_null(c.src);
	assert_non_null(c.dst);
	c.port = t->port;
	c.protocol = t->proto;
	np_evaluate(&x, &ea, &c, &r);

	buf_init(&sig, 1 << 16);
	buf_add(&sig, "I:");
	side_sig(&sig, &r.ingress);
	buf_add(&sig, " E:");
	side_sig(&sig, &r.egress);
	buf_init(&txt, 1 << 20);
	for (size_t i = 0; i < r.ingress.nwhy; i++)
		buf_addf(&txt, "%s\n", np_why_text(&ea, &r.ingress, &r.ingress.why[i], &c));
	for (size_t i = 0; i < r.egress.nwhy; i++)
		buf_addf(&txt, "%s\n", np_why_text(&ea, &r.egress, &r.egress.why[i], &c));

	if ((int)r.verdict != t->want || (int)r.k8s != t->want_k8s ||
	    (int)r.ingress.verdict != t->want_in || (int)r.egress.verdict != t->want_eg)
		fail_msg("%s: verdict %s (k8s %s, ingress %s, egress %s), want %s (%s, %s, %s)\n%s",
			 t->name, np_verdict_name(r.verdict), np_verdict_name(r.k8s),
			 np_verdict_name(r.ingress.verdict), np_verdict_name(r.egress.verdict),
			 np_verdict_name(t->want), np_verdict_name(t->want_k8s),
			 np_verdict_name(t->want_in), np_verdict_name(t->want_eg), txt.p);
	if (strcmp(sig.p, t->sig))
		fail_msg("%s: explanation\n  got  %s\n  want %s\n%s", t->name, sig.p, t->sig, txt.p);
	if (t->text && !strstr(txt.p, t->text))
		fail_msg("%s: explanation lacks \"%s\":\n%s", t->name, t->text, txt.p);
	/* an admitted side names its rule; a denied one has none */
	assert_true((r.ingress.verdict == NP_ALLOWED) == (r.ingress.admit != NULL ||
							   !r.ingress.nselecting));
	assert_int_equal(r.nforeign, t->want == NP_NOT_EVALUATED);

	buf_release(&sig);
	buf_release(&txt);
	np_index_release(&x);
	arena_release(&ea);
	tu_model_release(&tm);
}

static void test_table(void **state)
{
	(void)state;
	assert_true(sizeof(cases) / sizeof(cases[0]) >= 60);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

static void test_cidr(void **state)
{
	struct np_cidr c;
	(void)state;
	assert_true(np_cidr_parse("10.244.1.7/16", &c));    /* host bits allowed */
	assert_true(np_cidr_contains(&c, "10.244.200.1"));
	assert_false(np_cidr_contains(&c, "10.245.0.1"));
	assert_false(np_cidr_contains(&c, "fd00::1"));
	assert_false(np_cidr_contains(&c, ""));
	assert_true(np_cidr_parse("0.0.0.0/0", &c));
	assert_true(np_cidr_contains(&c, "8.8.8.8"));
	assert_true(np_cidr_parse("fd00:10::/32", &c));
	assert_true(np_cidr_contains(&c, "fd00:10:0:1::5"));
	assert_false(np_cidr_contains(&c, "fd00:11::5"));
	assert_false(np_cidr_contains(&c, "10.0.0.1"));
	assert_true(np_cidr_parse("10.1.2.3/32", &c));
	assert_true(np_cidr_contains(&c, "10.1.2.3"));
	assert_false(np_cidr_contains(&c, "10.1.2.4"));
	assert_true(np_cidr_parse("10.1.2.0/25", &c));
	assert_true(np_cidr_contains(&c, "10.1.2.127"));
	assert_false(np_cidr_contains(&c, "10.1.2.128"));
	assert_false(np_cidr_parse("10.0.0.0", &c));
	assert_false(np_cidr_parse("10.0.0.0/33", &c));
	assert_false(np_cidr_parse("10.0.0.0/", &c));
	assert_false(np_cidr_parse("10.0.0.0/8x", &c));
	assert_false(np_cidr_parse("nonsense/8", &c));
	assert_false(np_cidr_parse(NULL, &c));
}

/* Namespace labels: derived when the Namespace is absent, injected when missing. */
static void test_ns_labels(void **state)
{
	struct tu_model tm;
	struct np_index x;
	const struct kvs *l;
	bool derived;
	(void)state;

	tu_model_init(&tm);
	tu_add(&tm, "Namespace", "v1", "{'metadata':{'name':'shop','labels':{'env':'prod'}}}");
	model_finish(&tm.m);
	np_index_init(&x, &tm.m);
	l = np_ns_labels(&x, "shop", &derived);
	assert_false(derived);
	assert_string_equal(kvs_get(l, "kubernetes.io/metadata.name"), "shop");
	assert_string_equal(kvs_get(l, "env"), "prod");
	l = np_ns_labels(&x, "other", &derived);
	assert_true(derived);
	assert_int_equal(l->n, 1);
	assert_string_equal(kvs_get(l, "kubernetes.io/metadata.name"), "other");
	np_index_release(&x);
	tu_model_release(&tm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_ns_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
