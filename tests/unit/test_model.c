/*
 * test_model: decoding every kind from JSON text, warnings on wrong
 * types, legacy Ingress mapping, Secret data never stored, indexes and
 * lookups (events matched by kind + namespace + name + uid), m->now,
 * duplicates, and a larger model for the hash indexes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/util/xalloc.h"
#include "testutil.h"

static int setup(void **state)
{
	struct tu_model *f = xcalloc(1, sizeof(*f));
	tu_model_init(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	tu_model_release(*state);
	free(*state);
	return 0;
}

static bool warned(const struct warnings *w, const char *needle)
{
	for (size_t i = 0; i < w->n; i++)
		if (strstr(w->msg[i], needle))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */

static void test_kinds(void **state)
{
	(void)state;
	for (int k = 0; k < K__COUNT; k++) {
		assert_int_equal(kind_from_name(kind_name((enum kind)k)), k);
		assert_non_null(kind_resource((enum kind)k));
	}
	assert_int_equal(kind_from_name("Pod"), K_POD);
	assert_int_equal(kind_from_name("pod"), K_UNKNOWN);
	assert_int_equal(kind_from_name("PodList"), K_UNKNOWN);
	assert_int_equal(kind_from_name(NULL), K_UNKNOWN);
	assert_string_equal(kind_resource(K_INGRESS), "ingresses");
	assert_string_equal(kind_resource(K_ENDPOINTSLICE), "endpointslices");
	assert_string_equal(kind_resource(K_NETWORKPOLICY), "networkpolicies");
	assert_string_equal(kind_resource(K_ENDPOINTS), "endpoints");
	assert_string_equal(kind_name(K_INGRESSCLASS), "IngressClass");
}

static void test_ingress_v1(void **state)
{
	struct tu_model *f = *state;
	const struct ingress *ig;

	tu_add(f, "Ingress", "networking.k8s.io/v1",
	    "{'metadata':{'name':'web','namespace':'shop','annotations':{"
	    "'kubernetes.io/ingress.class':'nginx','b':'2',"
	    "'kubectl.kubernetes.io/last-applied-configuration':'{}'}},"
	    "'spec':{'ingressClassName':'nginx-int',"
	    "'defaultBackend':{'service':{'name':'fallback','port':{'number':80}}},"
	    "'tls':[{'hosts':['a.example.com'],'secretName':'a-tls'}],"
	    "'rules':[{'host':'a.example.com','http':{'paths':["
	    "{'path':'/api','pathType':'Prefix','backend':{'service':{'name':'api','port':{'name':'http'}}}},"
	    "{'path':'/r','pathType':'Exact','backend':{'resource':{'apiGroup':'x','kind':'Bucket','name':'b'}}}"
	    "]}},{'http':{'paths':[]}}]},"
	    "'status':{'loadBalancer':{'ingress':[{'ip':'203.0.113.9'},{'hostname':'lb.example.com'}]}}}");
	model_finish(&f->m);
	ig = model_ingress(&f->m, "shop", "web");
	assert_non_null(ig);
	assert_null(model_ingress(&f->m, "other", "web"));
	assert_string_equal(ig->meta.api_version, "networking.k8s.io/v1");
	assert_string_equal(ig->class_name, "nginx-int");
	assert_string_equal(ig->class_annotation, "nginx");
	assert_int_equal(ig->meta.annotations.n, 2);   /* last-applied dropped */
	assert_null(kvs_get(&ig->meta.annotations,
			    "kubectl.kubernetes.io/last-applied-configuration"));
	assert_string_equal(ig->meta.annotations.v[0].key, "b");   /* sorted */
	assert_true(ig->default_backend.set);
	assert_string_equal(ig->default_backend.service, "fallback");
	assert_int_equal(ig->default_backend.port.kind, IS_INT);
	assert_int_equal(ig->default_backend.port.num, 80);
	assert_int_equal(ig->nrules, 2);
	assert_string_equal(ig->rules[0].host, "a.example.com");
	assert_string_equal(ig->rules[1].host, "");
	assert_int_equal(ig->rules[0].npaths, 2);
	assert_string_equal(ig->rules[0].paths[0].path, "/api");
	assert_string_equal(ig->rules[0].paths[0].path_type, "Prefix");
	assert_string_equal(ig->rules[0].paths[0].backend.service, "api");
	assert_int_equal(ig->rules[0].paths[0].backend.port.kind, IS_STR);
	assert_string_equal(ig->rules[0].paths[0].backend.port.str, "http");
	assert_string_equal(ig->rules[0].paths[1].backend.service, "");
	assert_string_equal(ig->rules[0].paths[1].backend.resource_kind, "Bucket");
	assert_string_equal(ig->rules[0].paths[1].backend.resource_name, "b");
	assert_int_equal(ig->ntls, 1);
	assert_int_equal(ig->tls[0].nhosts, 1);
	assert_string_equal(ig->tls[0].secret, "a-tls");
	assert_int_equal(ig->nlb, 2);
	assert_string_equal(ig->lb_addresses[1], "lb.example.com");
	assert_true(f->m.present[K_INGRESS]);
	assert_int_equal(f->w.total, 0);
}

static void test_ingress_legacy(void **state)
{
	struct tu_model *f = *state;
	const struct ingress *ig, *ig2;

	tu_add(f, "Ingress", "extensions/v1beta1",
	    "{'metadata':{'name':'old','namespace':'shop'},"
	    "'spec':{'backend':{'serviceName':'fallback','servicePort':8080},"
	    "'rules':[{'host':'x','http':{'paths':["
	    "{'path':'/','backend':{'serviceName':'api','servicePort':'http'}},"
	    "{'path':'/n','backend':{'serviceName':'api','servicePort':'80'}}]}}]}}");
	tu_add(f, "Ingress", "networking.k8s.io/v1beta1",
	    "{'metadata':{'name':'old2','namespace':'shop'},"
	    "'spec':{'rules':[{'http':{'paths':[{'path':'/','pathType':'Exact',"
	    "'backend':{'serviceName':'b','servicePort':443}}]}}]}}");
	model_finish(&f->m);
	ig = model_ingress(&f->m, "shop", "old");
	assert_non_null(ig);
	assert_string_equal(ig->meta.api_version, "extensions/v1beta1");
	assert_true(ig->default_backend.set);
	assert_string_equal(ig->default_backend.service, "fallback");
	assert_int_equal(ig->default_backend.port.kind, IS_INT);
	assert_int_equal(ig->default_backend.port.num, 8080);
	assert_string_equal(ig->rules[0].paths[0].path_type, "ImplementationSpecific");
	assert_int_equal(ig->rules[0].paths[0].backend.port.kind, IS_STR);
	assert_string_equal(ig->rules[0].paths[0].backend.port.str, "http");
	/* a string of digits stays a name, as in the API's conversion */
	assert_int_equal(ig->rules[0].paths[1].backend.port.kind, IS_STR);
	assert_string_equal(ig->rules[0].paths[1].backend.port.str, "80");
	ig2 = model_ingress(&f->m, "shop", "old2");
	assert_non_null(ig2);
	assert_string_equal(ig2->meta.api_version, "networking.k8s.io/v1beta1");
	assert_false(ig2->default_backend.set);
	assert_string_equal(ig2->rules[0].paths[0].path_type, "Exact");
	assert_int_equal(ig2->rules[0].paths[0].backend.port.num, 443);
}

static void test_ingressclass(void **state)
{
	struct tu_model *f = *state;
	const struct ingressclass *c;

	tu_add(f, "IngressClass", "networking.k8s.io/v1",
	    "{'metadata':{'name':'nginx','namespace':'ignored','annotations':"
	    "{'ingressclass.kubernetes.io/is-default-class':'true'}},"
	    "'spec':{'controller':'k8s.io/ingress-nginx','parameters':"
	    "{'kind':'IngressParameters','name':'p','namespace':'ing','scope':'Namespace'}}}");
	tu_add(f, "IngressClass", "networking.k8s.io/v1",
	    "{'metadata':{'name':'other','annotations':"
	    "{'ingressclass.kubernetes.io/is-default-class':'True'}},'spec':{}}");
	model_finish(&f->m);
	c = model_ingressclass(&f->m, "nginx");
	assert_non_null(c);
	assert_string_equal(c->meta.ns, "");
	assert_true(c->is_default);
	assert_string_equal(c->controller, "k8s.io/ingress-nginx");
	assert_string_equal(c->params_kind, "IngressParameters");
	assert_string_equal(c->params_ns, "ing");
	c = model_ingressclass(&f->m, "other");
	assert_non_null(c);
	assert_false(c->is_default);
	assert_string_equal(c->controller, "");
}

static void test_service(void **state)
{
	struct tu_model *f = *state;
	const struct service *s;

	tu_add(f, "Service", "v1",
	    "{'metadata':{'name':'api','namespace':'shop','uid':'u1'},"
	    "'spec':{'selector':{'tier':'be','app':'api'},'clusterIP':'10.96.0.1',"
	    "'publishNotReadyAddresses':true,'ports':["
	    "{'name':'http','port':80,'targetPort':'http','appProtocol':'http'},"
	    "{'name':'raw','port':81,'targetPort':8081,'protocol':'UDP','nodePort':30081},"
	    "{'name':'same','port':82},"
	    "{'name':'zero','port':83,'targetPort':0},"
	    "{'name':'digits','port':84,'targetPort':'8080'}]}}");
	tu_add(f, "Service", "v1",
	    "{'metadata':{'name':'ext','namespace':'shop'},"
	    "'spec':{'type':'ExternalName','externalName':'db.example.com'}}");
	model_finish(&f->m);
	s = model_service(&f->m, "shop", "api");
	assert_non_null(s);
	assert_string_equal(s->meta.uid, "u1");
	assert_string_equal(s->type, "ClusterIP");
	assert_string_equal(s->cluster_ip, "10.96.0.1");
	assert_true(s->publish_not_ready);
	assert_int_equal(s->selector.n, 2);
	assert_string_equal(s->selector.v[0].key, "app");
	assert_string_equal(s->selector.v[1].key, "tier");
	assert_int_equal(s->nports, 5);
	assert_string_equal(s->ports[0].protocol, "TCP");
	assert_int_equal(s->ports[0].target.kind, IS_STR);
	assert_string_equal(s->ports[0].target.str, "http");
	assert_string_equal(s->ports[0].app_protocol, "http");
	assert_string_equal(s->ports[1].protocol, "UDP");
	assert_int_equal(s->ports[1].target.kind, IS_INT);
	assert_int_equal(s->ports[1].target.num, 8081);
	assert_int_equal(s->ports[1].node_port, 30081);
	assert_int_equal(s->ports[2].target.kind, IS_UNSET);
	assert_int_equal(s->ports[3].target.kind, IS_UNSET);
	assert_int_equal(s->ports[4].target.kind, IS_STR);   /* JSON string = name */
	assert_string_equal(s->ports[4].target.str, "8080");
	s = model_service(&f->m, "shop", "ext");
	assert_non_null(s);
	assert_string_equal(s->type, "ExternalName");
	assert_string_equal(s->external_name, "db.example.com");
	assert_int_equal(s->selector.n, 0);
	assert_int_equal(s->nports, 0);
}

static void test_endpointslice(void **state)
{
	struct tu_model *f = *state;
	const struct endpointslice **v;
	size_t n;

	tu_add(f, "EndpointSlice", "discovery.k8s.io/v1",
	    "{'metadata':{'name':'api-b','namespace':'shop','labels':{"
	    "'kubernetes.io/service-name':'api',"
	    "'endpointslice.kubernetes.io/managed-by':'endpointslice-controller.k8s.io'}},"
	    "'addressType':'IPv4','endpoints':["
	    "{'addresses':['10.1.0.1'],'conditions':{'ready':true},'nodeName':'n1',"
	    "'targetRef':{'kind':'Pod','namespace':'shop','name':'api-1','uid':'p1'}},"
	    "{'addresses':['10.1.0.2'],'conditions':{'ready':false,'serving':true,'terminating':true}},"
	    "{'addresses':['10.1.0.3']}],"
	    "'ports':[{'name':'http','port':8080,'protocol':'TCP'},{'name':null}]}");
	tu_add(f, "EndpointSlice", "discovery.k8s.io/v1",
	    "{'metadata':{'name':'api-a','namespace':'shop','labels':{"
	    "'kubernetes.io/service-name':'api'}},'addressType':'IPv4','endpoints':null}");
	tu_add(f, "EndpointSlice", "discovery.k8s.io/v1",
	    "{'metadata':{'name':'api-c','namespace':'other','labels':{"
	    "'kubernetes.io/service-name':'api'}},'addressType':'IPv4'}");
	model_finish(&f->m);
	n = model_slices_for(&f->m, "shop", "api", &v);
	assert_int_equal(n, 2);
	assert_string_equal(v[0]->meta.name, "api-a");
	assert_string_equal(v[1]->meta.name, "api-b");
	assert_int_equal(v[0]->nendpoints, 0);
	assert_string_equal(v[1]->service, "api");
	assert_string_equal(v[1]->managed_by, "endpointslice-controller.k8s.io");
	assert_string_equal(v[1]->address_type, "IPv4");
	assert_int_equal(v[1]->nendpoints, 3);
	assert_true(eps_ready(&v[1]->endpoints[0]));
	assert_true(eps_serving(&v[1]->endpoints[0]));
	assert_false(eps_terminating(&v[1]->endpoints[0]));
	assert_false(eps_ready(&v[1]->endpoints[1]));
	assert_true(eps_terminating(&v[1]->endpoints[1]));
	assert_int_equal(v[1]->endpoints[2].ready, -1);
	assert_true(eps_ready(&v[1]->endpoints[2]));   /* nil = ready */
	assert_string_equal(v[1]->endpoints[0].addresses[0], "10.1.0.1");
	assert_string_equal(v[1]->endpoints[0].node, "n1");
	assert_string_equal(v[1]->endpoints[0].target.name, "api-1");
	assert_string_equal(v[1]->endpoints[0].target.uid, "p1");
	assert_int_equal(v[1]->nports, 2);
	assert_int_equal(v[1]->ports[0].port, 8080);
	assert_string_equal(v[1]->ports[1].name, "");
	assert_int_equal(v[1]->ports[1].port, -1);
	assert_int_equal(model_slices_for(&f->m, "other", "api", &v), 1);
	assert_int_equal(model_slices_for(&f->m, "shop", "nope", &v), 0);
	assert_null(v);
}

static void test_endpoints(void **state)
{
	struct tu_model *f = *state;
	const struct endpoints *e;

	tu_add(f, "Endpoints", "v1",
	    "{'metadata':{'name':'api','namespace':'shop'},'subsets':[{"
	    "'addresses':[{'ip':'10.1.0.1','nodeName':'n1','targetRef':{'kind':'Pod','name':'a'}}],"
	    "'notReadyAddresses':[{'ip':'10.1.0.2'},{'ip':'10.1.0.3'}],"
	    "'ports':[{'name':'http','port':8080}]}]}");
	model_finish(&f->m);
	e = model_endpoints(&f->m, "shop", "api");
	assert_non_null(e);
	assert_int_equal(e->nsubsets, 1);
	assert_int_equal(e->subsets[0].nready, 1);
	assert_int_equal(e->subsets[0].nnot_ready, 2);
	assert_string_equal(e->subsets[0].ready[0].ip, "10.1.0.1");
	assert_string_equal(e->subsets[0].ready[0].target.kind, "Pod");
	assert_string_equal(e->subsets[0].not_ready[1].ip, "10.1.0.3");
	assert_int_equal(e->subsets[0].ports[0].port, 8080);
	assert_string_equal(e->subsets[0].ports[0].protocol, "TCP");
}

#define POD_API \
	"{'metadata':{'name':'api-1','namespace':'shop','uid':'p1'," \
	"'labels':{'app':'api','pod-template-hash':'7d9f'}," \
	"'creationTimestamp':'2026-01-01T10:00:00Z'," \
	"'ownerReferences':[{'kind':'ReplicaSet','name':'api-7d9f','uid':'r1','controller':true}]}," \
	"'spec':{'nodeName':'n1','serviceAccountName':'sa'," \
	"'readinessGates':[{'conditionType':'example.com/lb'}]," \
	"'containers':[{'name':'app','image':'shop/api:1.2','command':['/bin/api'],'args':['-v','2']," \
	"'ports':[{'name':'http','containerPort':8080},{'name':'dns','containerPort':53,'protocol':'UDP'}]," \
	"'readinessProbe':{'httpGet':{'path':'/healthz','port':'http'},'periodSeconds':5,'failureThreshold':0}," \
	"'livenessProbe':{'tcpSocket':{'port':8080},'initialDelaySeconds':3}," \
	"'startupProbe':{'exec':{'command':['cat','/tmp/ok']}}," \
	"'lifecycle':{'preStop':{'exec':{'command':['sleep','5']}}}," \
	"'resources':{'requests':{'cpu':'100m','memory':'128Mi'},'limits':{'cpu':1,'memory':'1Gi'}}}]," \
	"'initContainers':[{'name':'init','image':'busybox'}," \
	"{'name':'proxy','image':'envoy','restartPolicy':'Always'," \
	"'ports':[{'name':'admin','containerPort':9901}]," \
	"'readinessProbe':{'grpc':{'port':9901}},'lifecycle':{'preStop':{'sleep':{'seconds':10}}}}]}," \
	"'status':{'phase':'Running','podIP':'10.1.0.1','podIPs':[{'ip':'10.1.0.1'},{'ip':'fd00::1'}]," \
	"'hostIP':'192.168.0.10','startTime':'2026-01-01T10:00:01Z','qosClass':'Burstable'," \
	"'conditions':[{'type':'Ready','status':'True','lastTransitionTime':'2026-01-01T10:00:30Z'}]," \
	"'containerStatuses':[{'name':'app','ready':true,'started':true,'restartCount':4,'image':'shop/api:1.2'," \
	"'state':{'running':{'startedAt':'2026-01-01T10:00:05Z'}}," \
	"'lastState':{'terminated':{'exitCode':137,'reason':'OOMKilled','finishedAt':'2026-01-01T10:00:04Z'}}}]," \
	"'initContainerStatuses':[{'name':'init','ready':false,'restartCount':0," \
	"'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}}"

static void test_pod(void **state)
{
	struct tu_model *f = *state;
	const struct pod *p;
	const struct container *c;
	const struct container_status *cs;

	tu_add(f, "Pod", "v1", POD_API);
	tu_add(f, "Pod", "v1",
	    "{'metadata':{'name':'api-2','namespace':'shop','labels':{'app':'api'}},"
	    "'spec':{'containers':[{'name':'app','httpGet':1,'lifecycle':{'preStop':"
	    "{'httpGet':{'path':'/quit','port':80}}}}]},'status':{'phase':'Pending'}}");
	model_finish(&f->m);
	assert_int_equal(f->w.total, 0);
	p = model_pod(&f->m, "shop", "api-1");
	assert_non_null(p);
	assert_string_equal(p->node, "n1");
	assert_string_equal(p->phase, "Running");
	assert_string_equal(p->pod_ip, "10.1.0.1");
	assert_int_equal(p->npod_ips, 2);
	assert_string_equal(p->pod_ips[1], "fd00::1");
	assert_string_equal(p->host_ip, "192.168.0.10");
	assert_int_equal(p->grace_seconds, 30);
	assert_string_equal(p->service_account, "sa");
	assert_string_equal(p->qos, "Burstable");
	assert_int_equal(p->nreadiness_gates, 1);
	assert_string_equal(p->readiness_gates[0], "example.com/lb");
	assert_int_equal(p->meta.nowners, 1);
	assert_true(p->meta.owners[0].controller);
	assert_string_equal(p->meta.owners[0].kind, "ReplicaSet");
	assert_true(pod_is_ready(p));
	assert_non_null(pod_condition(p, "Ready"));
	assert_null(pod_condition(p, "PodScheduled"));
	assert_false(pod_is_terminating(p));

	assert_int_equal(p->ncontainers, 3);
	c = &p->containers[0];
	assert_string_equal(c->name, "app");
	assert_false(c->init);
	assert_int_equal(c->nargs, 3);
	assert_string_equal(c->args[0], "/bin/api");
	assert_string_equal(c->args[2], "2");
	assert_int_equal(c->nports, 2);
	assert_string_equal(c->ports[0].protocol, "TCP");
	assert_string_equal(c->ports[1].protocol, "UDP");
	assert_int_equal(c->readiness.type, PROBE_HTTP);
	assert_int_equal(c->readiness.port.kind, IS_STR);
	assert_string_equal(c->readiness.path, "/healthz");
	assert_string_equal(c->readiness.scheme, "HTTP");
	assert_int_equal(c->readiness.period, 5);
	assert_int_equal(c->readiness.failure, 3);   /* 0 -> default */
	assert_int_equal(c->readiness.timeout, 1);
	assert_int_equal(c->readiness.success, 1);
	assert_int_equal(c->readiness.initial_delay, 0);
	assert_int_equal(c->liveness.type, PROBE_TCP);
	assert_int_equal(c->liveness.port.num, 8080);
	assert_int_equal(c->liveness.initial_delay, 3);
	assert_int_equal(c->liveness.period, 10);
	assert_int_equal(c->startup.type, PROBE_EXEC);
	assert_string_equal(c->startup.command, "cat /tmp/ok");
	assert_true(c->has_prestop);
	assert_string_equal(c->prestop, "exec: sleep 5");
	assert_string_equal(c->cpu_request, "100m");
	assert_string_equal(c->mem_request, "128Mi");
	assert_string_equal(c->cpu_limit, "1");
	assert_string_equal(c->mem_limit, "1Gi");
	c = &p->containers[1];
	assert_string_equal(c->name, "init");
	assert_true(c->init);
	assert_false(c->sidecar);
	assert_int_equal(c->readiness.type, PROBE_NONE);
	assert_int_equal(c->readiness.period, 10);
	assert_false(c->has_prestop);
	assert_string_equal(c->cpu_request, "");
	c = &p->containers[2];
	assert_true(c->init);
	assert_true(c->sidecar);
	assert_int_equal(c->readiness.type, PROBE_GRPC);
	assert_int_equal(c->readiness.port.num, 9901);
	assert_string_equal(c->prestop, "sleep 10s");

	assert_int_equal(p->nstatuses, 2);
	cs = pod_status(p, "app");
	assert_non_null(cs);
	assert_true(cs->ready);
	assert_int_equal(cs->started, 1);
	assert_int_equal(cs->restarts, 4);
	assert_int_equal(cs->state.kind, CS_RUNNING);
	assert_int_equal(cs->last.kind, CS_TERMINATED);
	assert_int_equal(cs->last.exit_code, 137);
	assert_string_equal(cs->last.reason, "OOMKilled");
	cs = pod_status(p, "init");
	assert_true(cs->init);
	assert_int_equal(cs->started, -1);
	assert_string_equal(cs->state.reason, "Completed");
	assert_null(pod_status(p, "nope"));

	p = model_pod(&f->m, "shop", "api-2");
	assert_non_null(p);
	assert_string_equal(p->containers[0].prestop, "httpGet /quit");
	assert_string_equal(p->pod_ip, "");
	assert_false(pod_is_ready(p));
	/* interned: one copy of a label key for both pods */
	assert_ptr_equal(model_pod(&f->m, "shop", "api-1")->meta.labels.v[0].key,
			 p->meta.labels.v[0].key);
}

static void test_node(void **state)
{
	struct tu_model *f = *state;
	const struct node *n;

	tu_add(f, "Node", "v1",
	    "{'metadata':{'name':'n1','labels':{'kubernetes.io/hostname':'n1'}},"
	    "'spec':{'unschedulable':true,'taints':[{'key':'node.kubernetes.io/not-ready',"
	    "'effect':'NoSchedule'}]},"
	    "'status':{'conditions':[{'type':'Ready','status':'Unknown','reason':'NodeStatusUnknown',"
	    "'message':'Kubelet stopped posting node status.'},{'type':'MemoryPressure','status':'False'}],"
	    "'addresses':[{'type':'Hostname','address':'n1'},{'type':'InternalIP','address':'192.168.0.10'}],"
	    "'nodeInfo':{'kubeletVersion':'v1.31.2'}}}");
	model_finish(&f->m);
	n = model_node(&f->m, "n1");
	assert_non_null(n);
	assert_string_equal(n->meta.ns, "");
	assert_true(n->unschedulable);
	assert_int_equal(n->ntaints, 1);
	assert_string_equal(n->taints[0].effect, "NoSchedule");
	assert_string_equal(n->internal_ip, "192.168.0.10");
	assert_string_equal(n->kubelet_version, "v1.31.2");
	assert_string_equal(node_condition(n, "Ready")->status, "Unknown");
	assert_string_equal(node_condition(n, "Ready")->reason, "NodeStatusUnknown");
	assert_null(node_condition(n, "DiskPressure"));
	assert_null(model_node(&f->m, "n2"));
}

/* A Node's lastHeartbeatTime moves m->now (real snapshots: newer than any transition). */
static void test_node_heartbeat_now(void **state)
{
	struct tu_model *f = *state;
	ktime beat, transition;

	tu_add(f, "Node", "v1",
	    "{'metadata':{'name':'n1','creationTimestamp':'2024-01-03T20:30:00Z'},"
	    "'status':{'conditions':[{'type':'Ready','status':'True','reason':'KubeletReady',"
	    "'lastHeartbeatTime':'2024-01-27T15:31:39Z','lastTransitionTime':'2024-01-03T20:35:38Z'}]}}");
	model_finish(&f->m);
	assert_int_equal(ktime_parse("2024-01-27T15:31:39Z", 20, &beat), 0);
	assert_int_equal(ktime_parse("2024-01-03T20:35:38Z", 20, &transition), 0);
	assert_int_equal(node_condition(model_node(&f->m, "n1"), "Ready")->transition, transition);
	assert_int_equal(f->m.now, beat);
	assert_int_equal(f->w.n, 0);
}

static void test_events(void **state)
{
	struct tu_model *f = *state;
	const struct event **v;
	size_t n;

	/* e1: about Pod shop/api (uid p1), count + lastTimestamp */
	tu_add(f, "Event", "v1",
	    "{'metadata':{'name':'e1','namespace':'shop','creationTimestamp':'2026-01-01T09:00:00Z'},"
	    "'involvedObject':{'kind':'Pod','namespace':'shop','name':'api','uid':'p1',"
	    "'fieldPath':'spec.containers{app}'},"
	    "'reason':'Unhealthy','message':'Readiness probe failed: HTTP probe failed with statuscode: 500',"
	    "'type':'Warning','source':{'component':'kubelet','host':'n1'},'count':12,"
	    "'firstTimestamp':'2026-01-01T09:00:00Z','lastTimestamp':'2026-01-01T10:00:00Z'}");
	/* e2: same pod, no uid, series only, newer */
	tu_add(f, "Event", "v1",
	    "{'metadata':{'name':'e2','namespace':'shop'},"
	    "'involvedObject':{'kind':'Pod','name':'api'},'reason':'BackOff','type':'Warning',"
	    "'firstTimestamp':null,'lastTimestamp':null,'eventTime':'2026-01-01T10:00:00.123456Z',"
	    "'reportingComponent':'kubelet','series':{'count':3,'lastObservedTime':'2026-01-01T10:05:00.000001Z'}}");
	/* e3: a previous pod of the same name (other uid) */
	tu_add(f, "Event", "v1",
	    "{'metadata':{'name':'e3','namespace':'shop','creationTimestamp':'2026-01-01T08:00:00Z'},"
	    "'involvedObject':{'kind':'Pod','namespace':'shop','name':'api','uid':'p0'},'reason':'Killing'}");
	/* e4: Service of the same name; e5: Pod of the same name in another namespace */
	tu_add(f, "Event", "v1",
	    "{'metadata':{'name':'e4','namespace':'shop'},'involvedObject':{'kind':'Service',"
	    "'namespace':'shop','name':'api'},'reason':'Sync','lastTimestamp':'2026-01-01T10:01:00Z'}");
	tu_add(f, "Event", "v1",
	    "{'metadata':{'name':'e5','namespace':'dev'},'involvedObject':{'kind':'Pod',"
	    "'namespace':'dev','name':'api'},'reason':'Sync','lastTimestamp':'2026-01-01T10:02:00Z'}");
	/* e6: events.k8s.io/v1 about a Node */
	tu_add(f, "Event", "events.k8s.io/v1",
	    "{'metadata':{'name':'e6','namespace':'default'},'regarding':{'kind':'Node','name':'n1'},"
	    "'note':'Node n1 status is now: NodeNotReady','reason':'NodeNotReady','type':'Normal',"
	    "'reportingController':'node-controller','deprecatedCount':2,"
	    "'eventTime':'2026-01-01T10:03:00.000000Z'}");
	model_finish(&f->m);

	assert_int_equal(f->m.nevents, 6);
	/* newest first overall */
	assert_string_equal(f->m.events[0].meta.name, "e2");
	for (size_t i = 1; i < f->m.nevents; i++)
		assert_true(f->m.events[i - 1].last >= f->m.events[i].last);

	n = model_events_for(&f->m, "Pod", "shop", "api", NULL, &v);
	assert_int_equal(n, 3);
	assert_string_equal(v[0]->meta.name, "e2");
	assert_string_equal(v[1]->meta.name, "e1");
	assert_string_equal(v[2]->meta.name, "e3");
	assert_int_equal(v[0]->count, 3);
	assert_string_equal(v[0]->source, "kubelet");
	assert_string_equal(v[0]->involved.ns, "shop");   /* from the event's namespace */
	assert_int_equal(v[1]->count, 12);
	assert_string_equal(v[1]->field_path, "spec.containers{app}");
	assert_string_equal(v[1]->source, "kubelet");
	assert_true(v[1]->first < v[1]->last);
	assert_int_equal(v[2]->count, 1);
	assert_int_equal(v[2]->last, v[2]->meta.created);   /* creationTimestamp fallback */
	assert_int_equal(v[2]->first, v[2]->last);

	/* uid known on both sides: the old pod's event is left out, uid-less kept */
	n = model_events_for(&f->m, "Pod", "shop", "api", "p1", &v);
	assert_int_equal(n, 2);
	assert_string_equal(v[0]->meta.name, "e2");
	assert_string_equal(v[1]->meta.name, "e1");
	n = model_events_for(&f->m, "Pod", "shop", "api", "p1", &v);   /* cached */
	assert_int_equal(n, 2);
	n = model_events_for(&f->m, "Pod", "shop", "api", "p0", &v);
	assert_int_equal(n, 2);
	assert_string_equal(v[1]->meta.name, "e3");
	n = model_events_for(&f->m, "Pod", "shop", "api", "p9", &v);
	assert_int_equal(n, 1);
	assert_string_equal(v[0]->meta.name, "e2");

	/* never by name alone */
	n = model_events_for(&f->m, "Service", "shop", "api", NULL, &v);
	assert_int_equal(n, 1);
	assert_string_equal(v[0]->meta.name, "e4");
	n = model_events_for(&f->m, "Pod", "dev", "api", "p1", &v);
	assert_int_equal(n, 1);
	assert_string_equal(v[0]->meta.name, "e5");
	assert_int_equal(model_events_for(&f->m, "Pod", "other", "api", NULL, &v), 0);
	assert_int_equal(model_events_for(&f->m, "Deployment", "shop", "api", NULL, &v), 0);

	n = model_events_for(&f->m, "Node", "", "n1", NULL, &v);
	assert_int_equal(n, 1);
	assert_string_equal(v[0]->message, "Node n1 status is now: NodeNotReady");
	assert_string_equal(v[0]->source, "node-controller");
	assert_int_equal(v[0]->count, 2);
	assert_true(v[0]->last > 0);
	assert_int_equal(v[0]->first, v[0]->last);

	/* m->now = newest time: e2's series.lastObservedTime */
	assert_int_equal(f->m.now, f->m.events[0].last);
}

static void test_networkpolicy(void **state)
{
	struct tu_model *f = *state;
	const struct networkpolicy *np;
	struct arena tmp;
	struct json *j;
	char *buf;

	tu_add(f, "NetworkPolicy", "networking.k8s.io/v1",
	    "{'metadata':{'name':'a','namespace':'shop'},'spec':{'podSelector':{}}}");
	tu_add(f, "NetworkPolicy", "networking.k8s.io/v1",
	    "{'metadata':{'name':'b','namespace':'shop'},'spec':{'podSelector':{'matchLabels':"
	    "{'app':'api'}},'egress':[{}]}}");
	tu_add(f, "NetworkPolicy", "networking.k8s.io/v1",
	    "{'metadata':{'name':'c','namespace':'shop'},'spec':{'podSelector':{},"
	    "'policyTypes':['Egress'],'egress':[]}}");
	tu_add(f, "NetworkPolicy", "networking.k8s.io/v1",
	    "{'metadata':{'name':'d','namespace':'shop'},'spec':{'podSelector':{},"
	    "'policyTypes':['Ingress','Egress']}}");
	/* the input document is freed after decoding: raw must be a copy */
	arena_init(&tmp, 0);
	buf = arena_strdup(&tmp, "{\"metadata\":{\"name\":\"e\",\"namespace\":\"shop\"},"
			   "\"spec\":{\"podSelector\":{},\"ingress\":[{\"ports\":[{\"port\":\"http\"}]}]}}");
	j = arena_zalloc(&tmp, sizeof(*j));
	{
		struct json_error je;
		struct src_obj o = { .obj = j, .kind = "NetworkPolicy", .api_version = "", .file = "x" };
		struct err e = ERR_INIT;
		assert_int_equal(json_parse(buf, strlen(buf), &tmp, j, &je), 0);
		assert_int_equal(model_add(&f->m, &o, &e), 0);
	}
	memset(buf, 'X', strlen(buf));
	arena_release(&tmp);
	model_finish(&f->m);

	np = &f->m.netpols[0];
	assert_string_equal(np->meta.name, "a");
	assert_true(np->ingress_type);
	assert_false(np->egress_type);
	assert_true(np->pod_selector.set);
	np = &f->m.netpols[1];
	assert_true(np->ingress_type);
	assert_true(np->egress_type);
	assert_string_equal(kvs_get(&np->pod_selector.match, "app"), "api");
	np = &f->m.netpols[2];
	assert_false(np->ingress_type);
	assert_true(np->egress_type);
	np = &f->m.netpols[3];
	assert_true(np->ingress_type && np->egress_type);
	np = &f->m.netpols[4];
	assert_string_equal(np->meta.name, "e");
	assert_non_null(np->raw);
	assert_int_equal(np->raw->type, JSON_OBJECT);
	{
		const struct json *port = json_path(json_at(json_get(json_at(json_get(np->raw,
				"ingress"), 0), "ports"), 0), "port", NULL);
		assert_string_equal(json_str(port), "http");
	}
}

static void test_configmap_workloads_ns(void **state)
{
	struct tu_model *f = *state;
	const struct workload *w;
	const struct configmap *cm;

	tu_add(f, "ConfigMap", "v1",
	    "{'metadata':{'name':'ingress-nginx-controller','namespace':'ing'},"
	    "'data':{'proxy-read-timeout':'60','use-forwarded-headers':'true'}}");
	tu_add(f, "Deployment", "apps/v1",
	    "{'metadata':{'name':'api','namespace':'shop'},'spec':{'replicas':3,"
	    "'selector':{'matchLabels':{'app':'api'}},'strategy':{'type':'RollingUpdate',"
	    "'rollingUpdate':{'maxUnavailable':0,'maxSurge':'25%'}}},"
	    "'status':{'readyReplicas':2,'availableReplicas':2}}");
	tu_add(f, "DaemonSet", "apps/v1",
	    "{'metadata':{'name':'api','namespace':'shop'},'spec':{'selector':{'matchLabels':"
	    "{'app':'agent'}}},'status':{'desiredNumberScheduled':4,'numberReady':3,'numberAvailable':3}}");
	tu_add(f, "StatefulSet", "apps/v1",
	    "{'metadata':{'name':'db','namespace':'shop'},'spec':{'selector':{}}}");
	tu_add(f, "Namespace", "v1",
	    "{'metadata':{'name':'shop','labels':{'kubernetes.io/metadata.name':'shop'}},"
	    "'status':{'phase':'Terminating'}}");
	model_finish(&f->m);
	cm = model_configmap(&f->m, "ing", "ingress-nginx-controller");
	assert_non_null(cm);
	assert_string_equal(kvs_get(&cm->data, "proxy-read-timeout"), "60");
	w = model_workload(&f->m, K_DEPLOYMENT, "shop", "api");
	assert_non_null(w);
	assert_int_equal(w->kind, K_DEPLOYMENT);
	assert_int_equal(w->replicas, 3);
	assert_int_equal(w->ready_replicas, 2);
	assert_string_equal(w->max_unavailable, "0");
	assert_string_equal(w->max_surge, "25%");
	w = model_workload(&f->m, K_DAEMONSET, "shop", "api");
	assert_non_null(w);
	assert_int_equal(w->kind, K_DAEMONSET);
	assert_int_equal(w->replicas, 4);
	assert_int_equal(w->ready_replicas, 3);
	w = model_workload(&f->m, K_STATEFULSET, "shop", "db");
	assert_non_null(w);
	assert_int_equal(w->replicas, -1);
	assert_string_equal(w->max_surge, "");
	assert_null(model_workload(&f->m, K_REPLICASET, "shop", "api"));
	assert_null(model_workload(&f->m, K_POD, "shop", "api"));
	assert_int_equal(f->m.nworkloads, 3);
	assert_string_equal(model_namespace(&f->m, "shop")->phase, "Terminating");
	assert_true(f->m.present[K_NAMESPACE]);
	assert_false(f->m.present[K_SECRET]);
}

/* Mirror of the arena's private block header (src/util/arena.c), to scan its bytes. */
struct arena_block_mirror {
	struct arena_block_mirror *next;
	size_t size, off;
	_Alignas(16) unsigned char data[];
};

static bool arena_contains(const struct arena *a, const char *needle)
{
	const struct arena_block_mirror *b = (const void *)a->head;
	for (; b; b = b->next)
		if (memmem(b->data, b->off, needle, strlen(needle)))
			return true;
	return false;
}

static void test_secret_never_stored(void **state)
{
	struct tu_model *f = *state;
	const struct secret_meta *s;

	tu_add(f, "Secret", "v1",
	    "{'metadata':{'name':'a-tls','namespace':'shop','labels':{'l':'v'},'annotations':{"
	    "'kubectl.kubernetes.io/last-applied-configuration':'{\\'data\\':{\\'tls.key\\':\\'TOPSECRET3\\'}}',"
	    "'note':'TOPSECRET4'}},"
	    "'type':'kubernetes.io/tls','data':{'tls.crt':'VE9QU0VDUkVUMQ==','tls.key':'TOPSECRET1'},"
	    "'stringData':{'password':'TOPSECRET2'},'immutable':true}");
	tu_add(f, "Secret", "v1",
	    "{'metadata':{'name':'bad','namespace':'shop'},'data':['TOPSECRET5',{'x':1}],"
	    "'stringData':7}");
	/* wipe the input so only the model's copies remain */
	arena_reset(&f->a);
	model_finish(&f->m);
	s = model_secret(&f->m, "shop", "a-tls");
	assert_non_null(s);
	assert_string_equal(s->type, "kubernetes.io/tls");
	assert_string_equal(kvs_get(&s->meta.labels, "l"), "v");
	assert_non_null(model_secret(&f->m, "shop", "bad"));
	/* the scan works: a stored string is found */
	assert_true(arena_contains(&f->m.arena, "kubernetes.io/tls"));
	for (int i = 1; i <= 5; i++) {
		char needle[32];
		snprintf(needle, sizeof(needle), "TOPSECRET%d", i);
		assert_false(arena_contains(&f->m.arena, needle));
		assert_false(warned(&f->w, needle));
	}
	assert_false(arena_contains(&f->m.arena, "VE9QU0VDUkVUMQ=="));
	assert_int_equal(f->w.total, 0);   /* data is never even looked at */
}

static void test_wrong_types(void **state)
{
	struct tu_model *f = *state;
	const struct pod *p;
	const struct service *s;
	size_t skipped;

	tu_add(f, "Pod", "v1",
	    "{'metadata':{'name':'w','namespace':'shop','labels':{'a':1,'b':'x'},'annotations':[],"
	    "'creationTimestamp':'yesterday'},"
	    "'spec':{'nodeName':7,'terminationGracePeriodSeconds':'30','containers':["
	    "{'name':'app','ports':[{'containerPort':'8080','name':'http'},'junk'],"
	    "'readinessProbe':{'httpGet':{'port':true},'periodSeconds':1.5},"
	    "'resources':{'limits':{'cpu':{}}}},5,null],'initContainers':{}},"
	    "'status':{'conditions':'Ready','podIPs':[{'ip':1}],'containerStatuses':[{'name':'app',"
	    "'restartCount':99999999999,'ready':'yes','state':{'waiting':[]}}]}}");
	tu_add(f, "Service", "v1",
	    "{'metadata':{'name':'s','namespace':'shop'},'spec':{'ports':{'port':80},"
	    "'selector':'app=api'}}");
	skipped = f->m.skipped;
	tu_add(f, "Widget", "example.com/v1", "{'metadata':{'name':'x'}}");
	assert_int_equal(f->m.skipped, skipped + 1);
	tu_add(f, "Pod", "v1", "{'metadata':{'namespace':'shop'}}");            /* no name */
	tu_add(f, "Pod", "v1", "{'metadata':'x'}");
	tu_add(f, "Pod", "v1", "[1,2]");
	tu_add(f, "Service", "v1", "{'metadata':{'name':''}}");
	tu_add(f, "Event", "v1", "{'metadata':{'name':'ev','namespace':'shop'},'involvedObject':'Pod',"
	    "'count':'3','lastTimestamp':5}");
	tu_add(f, "NetworkPolicy", "v1", "{'metadata':{'name':'np','namespace':'shop'},'spec':"
	    "{'podSelector':'all','policyTypes':'Ingress'}}");
	tu_add(f, "Ingress", "networking.k8s.io/v1", "{'metadata':{'name':'i','namespace':'shop'},"
	    "'spec':{'rules':[{'http':{'paths':[{'backend':{'service':{'name':'a','port':"
	    "{'number':'80'}}}}]}}],'tls':'x'}}");
	model_finish(&f->m);
	if (getenv("SHOW_WARNINGS"))
		warnings_print(&f->w, stderr);

	assert_true(f->w.total >= 20);
	assert_true(warned(&f->w, "t.json:3: Pod shop/w: spec.containers[0].ports[0].containerPort: "
			   "expected an integer, got a string"));
	assert_true(warned(&f->w, "Pod shop/w: metadata.labels.a: expected a string, got a number"));
	assert_true(warned(&f->w, "Pod shop/w: spec.nodeName: expected a string, got a number"));
	assert_true(warned(&f->w, "spec.containers[0].readinessProbe.periodSeconds: expected an integer"));
	assert_true(warned(&f->w, "spec.containers[0].readinessProbe.httpGet.port: expected an integer or a string, got a boolean"));
	assert_true(warned(&f->w, "spec.containers[1]: expected an object, got a number"));
	assert_true(warned(&f->w, "spec.initContainers: expected an array, got an object"));
	assert_true(warned(&f->w, "metadata.creationTimestamp: not an RFC 3339 time"));
	assert_true(warned(&f->w, "status.containerStatuses[0].restartCount: integer out of range"));
	assert_true(warned(&f->w, "Service shop/s: spec.ports: expected an array, got an object"));
	assert_true(warned(&f->w, "Pod (item 0): metadata.name: missing; object skipped"));
	assert_true(warned(&f->w, "Pod (item 0): metadata: expected an object, got a string"));
	assert_true(warned(&f->w, "t.json:3: Pod (item 0): expected an object, got an array"));
	assert_true(warned(&f->w, "Event shop/ev: involvedObject: expected an object, got a string"));
	assert_true(warned(&f->w, "NetworkPolicy shop/np: spec.podSelector: expected an object"));
	assert_true(warned(&f->w, "spec.rules[0].http.paths[0].backend.service.port.number: expected an integer, got a string"));

	p = model_pod(&f->m, "shop", "w");
	assert_non_null(p);
	assert_int_equal(p->meta.labels.n, 1);
	assert_string_equal(p->node, "");
	assert_int_equal(p->grace_seconds, 30);
	assert_int_equal(p->ncontainers, 1);
	assert_int_equal(p->containers[0].nports, 1);
	assert_int_equal(p->containers[0].ports[0].port, 0);
	assert_string_equal(p->containers[0].ports[0].name, "http");
	assert_int_equal(p->containers[0].readiness.type, PROBE_HTTP);
	assert_int_equal(p->containers[0].readiness.port.kind, IS_UNSET);
	assert_int_equal(p->containers[0].readiness.period, 10);
	assert_int_equal(p->meta.created, 0);
	assert_int_equal(p->nconditions, 0);
	assert_false(p->statuses[0].ready);
	assert_int_equal(p->statuses[0].state.kind, CS_NONE);
	s = model_service(&f->m, "shop", "s");
	assert_non_null(s);
	assert_int_equal(s->nports, 0);
	assert_int_equal(s->selector.n, 0);
	assert_int_equal(f->m.npods, 1);
	assert_int_equal(f->m.nservices, 1);
	assert_int_equal(f->m.events[0].count, 1);
	assert_true(f->m.netpols[0].pod_selector.invalid);
	assert_true(f->m.netpols[0].ingress_type);   /* policyTypes absent -> Ingress */
}

static void test_now_and_dedup(void **state)
{
	struct tu_model *f = *state;
	const struct pod *p;
	char buf[32];

	tu_add(f, "Pod", "v1", "{'metadata':{'name':'a','namespace':'x','creationTimestamp':"
	    "'2026-03-01T00:00:00Z'},'status':{'phase':'Pending'}}");
	tu_add(f, "Pod", "v1", "{'metadata':{'name':'b','namespace':'x','deletionTimestamp':"
	    "'2026-03-02T00:00:00+01:00'},'status':{'containerStatuses':[{'name':'c',"
	    "'state':{'terminated':{'finishedAt':'2026-03-02T00:30:00Z'}}}]}}");
	tu_add(f, "Pod", "v1", "{'metadata':{'name':'a','namespace':'x'},'status':{'phase':'Running'}}");
	tu_add(f, "Node", "v1", "{'metadata':{'name':'n'},'status':{'conditions':[{'type':'Ready',"
	    "'status':'True','lastTransitionTime':'2026-03-02T01:00:00Z'}]}}");
	model_finish(&f->m);
	ktime_format(f->m.now, buf, sizeof(buf));
	assert_string_equal(buf, "2026-03-02T01:00:00Z");
	assert_int_equal(f->m.npods, 2);
	p = model_pod(&f->m, "x", "a");
	assert_string_equal(p->phase, "Running");   /* the later copy wins */
	p = model_pod(&f->m, "x", "b");
	assert_true(pod_is_terminating(p));
	ktime_format(p->meta.deleted, buf, sizeof(buf));
	assert_string_equal(buf, "2026-03-01T23:00:00Z");
}

static void test_default_namespace_and_lookups(void **state)
{
	struct tu_model *f = *state;
	const struct pod **pods;
	const struct pod_log **logs;
	struct source_sink sink = model_sink(&f->m);
	struct src_obj o = { .kind = "Pod", .api_version = "v1", .file = "s.yaml" };
	struct err e = ERR_INIT;

	o.obj = tu_parse(&f->a, "{'metadata':{'name':'nons'},'spec':{'hostNetwork':true},"
		      "'status':{'podIP':'192.168.0.10'}}");
	assert_int_equal(sink.object(sink.ctx, &o, &e), 0);
	sink.kind_seen(sink.ctx, "EndpointSlice");
	sink.kind_seen(sink.ctx, "Gadget");
	assert_int_equal(sink.log(sink.ctx, "default", "nons", "dump/default/nons/logs.txt", &e), 0);
	assert_ptr_equal(sink.warn, &f->w);
	tu_add(f, "Pod", "v1", "{'metadata':{'name':'real','namespace':'default'},"
	    "'status':{'podIP':'192.168.0.10','phase':'Running'}}");
	tu_add(f, "Pod", "v1", "{'metadata':{'name':'done','namespace':'default'},"
	    "'status':{'podIP':'10.0.0.5','phase':'Succeeded'}}");
	tu_add(f, "Pod", "v1", "{'metadata':{'name':'live','namespace':'other'},"
	    "'status':{'podIP':'10.0.0.5','phase':'Running','podIPs':[{'ip':'10.0.0.5'},{'ip':'fd::5'}]}}");
	assert_null(model_pod(&f->m, "default", "nons"));   /* not finished yet */
	model_finish(&f->m);
	assert_true(f->m.present[K_ENDPOINTSLICE]);
	assert_true(f->m.present[K_POD]);
	assert_false(f->m.present[K_SERVICE]);
	assert_non_null(model_pod(&f->m, "default", "nons"));
	assert_string_equal(model_pod_by_ip(&f->m, "192.168.0.10")->meta.name, "real");
	assert_string_equal(model_pod_by_ip(&f->m, "10.0.0.5")->meta.name, "live");
	assert_string_equal(model_pod_by_ip(&f->m, "fd::5")->meta.name, "live");
	assert_null(model_pod_by_ip(&f->m, "10.9.9.9"));
	assert_null(model_pod_by_ip(&f->m, ""));
	assert_int_equal(model_pods_in(&f->m, "default", &pods), 3);
	assert_string_equal(pods[0]->meta.name, "done");
	assert_string_equal(pods[1]->meta.name, "nons");
	assert_string_equal(pods[2]->meta.name, "real");
	assert_int_equal(model_pods_in(&f->m, "nope", &pods), 0);
	assert_int_equal(model_logs_for(&f->m, "default", "nons", &logs), 1);
	assert_string_equal(logs[0]->path, "dump/default/nons/logs.txt");
	assert_int_equal(model_logs_for(&f->m, "default", "real", &logs), 0);
	/* adding after finish is refused */
	assert_int_equal(model_add(&f->m, &o, &e), -1);
}

static void test_many(void **state)
{
	struct tu_model *f = *state;
	enum { N = 20000 };
	char text[512];
	const struct event **ev;
	const struct pod **pods;

	for (int i = 0; i < N; i++) {
		snprintf(text, sizeof(text),
			 "{'metadata':{'name':'p%d','namespace':'ns%d','uid':'u%d','labels':"
			 "{'app.kubernetes.io/name':'web'}},'spec':{'nodeName':'node-%d'},"
			 "'status':{'podIP':'10.%d.%d.%d'}}",
			 i, i % 50, i, i % 100, i / 65536, (i / 256) % 256, i % 256);
		tu_add(f, "Pod", "v1", text);
		snprintf(text, sizeof(text),
			 "{'metadata':{'name':'e%d','namespace':'ns%d'},'involvedObject':{'kind':'Pod',"
			 "'name':'p%d','uid':'u%d'},'count':%d,'lastTimestamp':'2026-01-01T00:%02d:%02dZ'}",
			 i, i % 50, i, i, i + 1, (i / 60) % 60, i % 60);
		tu_add(f, "Event", "v1", text);
	}
	model_finish(&f->m);
	assert_int_equal(f->m.npods, N);
	for (int i = 0; i < N; i += 7) {
		char ns[16], name[16], ip[32], uid[16];
		const struct pod *p;
		snprintf(ns, sizeof(ns), "ns%d", i % 50);
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(uid, sizeof(uid), "u%d", i);
		snprintf(ip, sizeof(ip), "10.%d.%d.%d", i / 65536, (i / 256) % 256, i % 256);
		p = model_pod(&f->m, ns, name);
		assert_non_null(p);
		assert_ptr_equal(model_pod_by_ip(&f->m, ip), p);
		assert_int_equal(model_events_for(&f->m, "Pod", ns, name, uid, &ev), 1);
		assert_int_equal(ev[0]->count, i + 1);
		assert_int_equal(model_events_for(&f->m, "Pod", ns, name, "other", &ev), 0);
	}
	assert_int_equal(model_pods_in(&f->m, "ns7", &pods), N / 50);
	for (size_t i = 1; i < N / 50; i++)
		assert_true(strcmp(pods[i - 1]->meta.name, pods[i]->meta.name) < 0);
	/* interned label key: one pointer for all pods */
	assert_ptr_equal(f->m.pods[0].meta.labels.v[0].key, f->m.pods[N - 1].meta.labels.v[0].key);
	assert_ptr_equal(model_pod(&f->m, "ns0", "p0")->node, model_pod(&f->m, "ns0", "p100")->node);
	assert_string_equal(model_pod(&f->m, "ns0", "p100")->node, "node-0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test_setup_teardown(test_ingress_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingress_legacy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingressclass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_service, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpointslice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpoints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pod, setup, teardown),
		cmocka_unit_test_setup_teardown(test_node, setup, teardown),
		cmocka_unit_test_setup_teardown(test_node_heartbeat_now, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_networkpolicy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_configmap_workloads_ns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_never_stored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_now_and_dedup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_namespace_and_lookups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
