/*
 * test_selector: metav1.LabelSelector matching (decoded from JSON as a
 * NetworkPolicy podSelector) against pod labels, a table of cases
 * including empty, unset and invalid selectors; and Service map
 * selectors (service_selects).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static const struct {
	const char *selector;   /* podSelector JSON, NULL = field absent */
	const char *labels;     /* metadata.labels JSON */
	bool want;
} cases[] = {
	/* 0 */ { "{}", "{}", true },
	{ "{}", "{'app':'web'}", true },
	{ NULL, "{'app':'web'}", true },
	{ "{'matchLabels':{'app':'web'}}", "{'app':'web'}", true },
	{ "{'matchLabels':{'app':'web'}}", "{'app':'api'}", false },
	/* 5 */ { "{'matchLabels':{'app':'web'}}", "{}", false },
	{ "{'matchLabels':{'app':'web','tier':'fe'}}", "{'app':'web'}", false },
	{ "{'matchLabels':{'app':'web','tier':'fe'}}", "{'tier':'fe','app':'web','x':'y'}", true },
	{ "{'matchLabels':{'app':''}}", "{'app':''}", true },
	{ "{'matchLabels':{'app':''}}", "{}", false },
	/* 10 */ { "{'matchExpressions':[{'key':'env','operator':'In','values':['prod','stg']}]}",
		   "{'env':'stg'}", true },
	{ "{'matchExpressions':[{'key':'env','operator':'In','values':['prod','stg']}]}",
	  "{'env':'dev'}", false },
	{ "{'matchExpressions':[{'key':'env','operator':'In','values':['prod']}]}", "{}", false },
	{ "{'matchExpressions':[{'key':'env','operator':'NotIn','values':['prod']}]}",
	  "{'env':'dev'}", true },
	{ "{'matchExpressions':[{'key':'env','operator':'NotIn','values':['prod']}]}",
	  "{'env':'prod'}", false },
	/* 15 */ { "{'matchExpressions':[{'key':'env','operator':'NotIn','values':['prod']}]}",
		   "{}", true },
	{ "{'matchExpressions':[{'key':'env','operator':'Exists'}]}", "{'env':''}", true },
	{ "{'matchExpressions':[{'key':'env','operator':'Exists'}]}", "{'app':'x'}", false },
	{ "{'matchExpressions':[{'key':'env','operator':'DoesNotExist'}]}", "{'app':'x'}", true },
	{ "{'matchExpressions':[{'key':'env','operator':'DoesNotExist'}]}", "{'env':'x'}", false },
	/* 20: AND of labels and expressions */
	{ "{'matchLabels':{'app':'web'},'matchExpressions':[{'key':'env','operator':'In',"
	  "'values':['prod']}]}", "{'app':'web','env':'prod'}", true },
	{ "{'matchLabels':{'app':'web'},'matchExpressions':[{'key':'env','operator':'In',"
	  "'values':['prod']}]}", "{'app':'api','env':'prod'}", false },
	{ "{'matchExpressions':[{'key':'a','operator':'Exists'},{'key':'b','operator':'DoesNotExist'}]}",
	  "{'a':'1'}", true },
	{ "{'matchExpressions':[{'key':'a','operator':'Exists'},{'key':'b','operator':'DoesNotExist'}]}",
	  "{'a':'1','b':'2'}", false },
	/* invalid selectors match nothing */
	{ "{'matchExpressions':[{'key':'env','operator':'Equals','values':['x']}]}", "{'env':'x'}", false },
	/* 25 */ { "{'matchExpressions':[{'key':'env','operator':'in','values':['x']}]}", "{'env':'x'}", false },
	{ "{'matchExpressions':[{'key':'env','operator':'In','values':[]}]}", "{'env':'x'}", false },
	{ "{'matchExpressions':[{'key':'env','operator':'NotIn'}]}", "{}", false },
	{ "{'matchExpressions':[{'key':'env','operator':'Exists','values':['x']}]}", "{'env':'x'}", false },
	{ "{'matchExpressions':[{'operator':'Exists'}]}", "{'env':'x'}", false },
	/* 30 */ { "'app=web'", "{'app':'web'}", false },
	{ "{'matchExpressions':{}}", "{'env':'x'}", false },
	{ "{'matchExpressions':[5]}", "{'env':'x'}", false },
	{ "{'matchLabels':null,'matchExpressions':null}", "{'env':'x'}", true },
	{ "null", "{'env':'x'}", true },
	/* 35: unreadable matchLabels never widen the selector */
	{ "{'matchLabels':'app=web'}", "{'app':'web'}", false },
	{ "{'matchLabels':{'app':1}}", "{'app':'1'}", false },
	{ "{'matchLabels':{'app':'web','tier':null}}", "{'app':'web'}", false },
	{ "{'matchLabels':{'app':'a','app':'web'}}", "{'app':'web'}", true },   /* last wins */
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tu_model t;
		char text[1024];
		const struct pod *p;

		tu_model_init(&t);
		if (cases[i].selector)
			snprintf(text, sizeof(text), "{'metadata':{'name':'np','namespace':'n'},"
				 "'spec':{'podSelector':%s}}", cases[i].selector);
		else
			snprintf(text, sizeof(text), "{'metadata':{'name':'np','namespace':'n'},"
				 "'spec':{}}");
		tu_add(&t, "NetworkPolicy", "v1", text);
		snprintf(text, sizeof(text), "{'metadata':{'name':'p','namespace':'n','labels':%s}}",
			 cases[i].labels);
		tu_add(&t, "Pod", "v1", text);
		model_finish(&t.m);
		p = model_pod(&t.m, "n", "p");
		assert_non_null(p);
		assert_int_equal(t.m.nnetpols, 1);
		if (selector_matches(&t.m.netpols[0].pod_selector, &p->meta.labels) !=
		    cases[i].want)
			fail_msg("case %zu: selector %s labels %s: want %d", i,
				 cases[i].selector ? cases[i].selector : "(absent)", cases[i].labels,
				 cases[i].want);
		tu_model_release(&t);
	}
}

static void test_null_args(void **state)
{
	struct selector s;
	struct kvs none = { NULL, 0 };
	(void)state;
	memset(&s, 0, sizeof(s));
	assert_true(selector_matches(&s, &none));
	assert_true(selector_matches(&s, NULL));
	s.invalid = true;
	assert_false(selector_matches(&s, &none));
	assert_null(kvs_get(&none, "x"));
	assert_null(kvs_get(NULL, "x"));
}

static void test_service_selects(void **state)
{
	struct tu_model t;
	const struct service *s, *empty, *other;
	(void)state;

	tu_model_init(&t);
	tu_add(&t, "Service", "v1", "{'metadata':{'name':'api','namespace':'shop'},"
	    "'spec':{'selector':{'app':'api','tier':'be'}}}");
	tu_add(&t, "Service", "v1", "{'metadata':{'name':'manual','namespace':'shop'},"
	       "'spec':{'selector':{}}}");
	tu_add(&t, "Service", "v1", "{'metadata':{'name':'api','namespace':'dev'},"
	    "'spec':{'selector':{'app':'api'}}}");
	tu_add(&t, "Pod", "v1", "{'metadata':{'name':'a','namespace':'shop','labels':"
	    "{'app':'api','tier':'be','pod-template-hash':'x'}}}");
	tu_add(&t, "Pod", "v1", "{'metadata':{'name':'b','namespace':'shop',"
	       "'labels':{'app':'api'}}}");
	tu_add(&t, "Pod", "v1", "{'metadata':{'name':'c','namespace':'shop','labels':"
	    "{'app':'api','tier':'fe'}}}");
	tu_add(&t, "Pod", "v1", "{'metadata':{'name':'d','namespace':'dev','labels':"
	    "{'app':'api','tier':'be'}}}");
	tu_add(&t, "Pod", "v1", "{'metadata':{'name':'e','namespace':'shop'}}");
	model_finish(&t.m);
	s = model_service(&t.m, "shop", "api");
	empty = model_service(&t.m, "shop", "manual");
	other = model_service(&t.m, "dev", "api");
	assert_true(service_selects(s, model_pod(&t.m, "shop", "a")));
	assert_false(service_selects(s, model_pod(&t.m, "shop", "b")));
	assert_false(service_selects(s, model_pod(&t.m, "shop", "c")));
	assert_false(service_selects(s, model_pod(&t.m, "dev", "d")));   /* other namespace */
	assert_false(service_selects(s, model_pod(&t.m, "shop", "e")));
	assert_false(service_selects(empty, model_pod(&t.m, "shop", "a")));
	assert_false(service_selects(empty, model_pod(&t.m, "shop", "e")));
	assert_true(service_selects(other, model_pod(&t.m, "dev", "d")));
	assert_false(service_selects(other, model_pod(&t.m, "shop", "a")));
	assert_false(service_selects(NULL, model_pod(&t.m, "shop", "a")));
	tu_model_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_null_args),
		cmocka_unit_test(test_service_selects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
