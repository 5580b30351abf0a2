/*
 * fuzz_probe: libFuzzer target for the two readers of `probe` (src/probe/):
 * the debug pod's report read back from its log (dp_parse_log: IDPROBE
 * lines, whatever else the log holds) and the classifier of the API
 * server's proxy answers (probe_classify_answer, probe_classify_text).
 * Any bytes must give outcomes inside the enum and NUL-terminated details.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/probe/debugpod_int.h"
#include "../src/probe/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NT 4

static void check(const struct probe_result *r)
{
	if (r->outcome < PO_NOT_RUN || r->outcome > PO_NO_ANSWER)
		abort();
	if (!memchr(r->detail, '\0', sizeof(r->detail)))
		abort();
	if (!probe_outcome_name(r->outcome))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct probe_target t[NT];
	struct probe_plan plan = { t, NT, NULL };
	struct probe_result res[NT];
	bool ended = false;
	char *text;
	size_t n;

	memset(t, 0, sizeof(t));
	for (size_t i = 0; i < NT; i++) {
		t[i].ns = "shop";
		t[i].service = "web";
		t[i].ip = "10.0.0.1";
		t[i].port = 8080;
		t[i].http_path = "/";
		t[i].pod = i ? "web-1" : NULL;
	}
	memset(res, 0, sizeof(res));
	n = dp_parse_log((const char *)data, size, &plan, res, &ended);
	if (n > NT)
		abort();
	for (size_t i = 0; i < NT; i++)
		check(&res[i]);

	/* the first two bytes pick the HTTP status, the rest is the body */
	if (size >= 2) {
		struct probe_result r;
		long status = 100 + (long)((data[0] << 8 | data[1]) % 500);
		memset(&r, 0, sizeof(r));
		probe_classify_answer(status, (const char *)data + 2, size - 2,
				      data[0] & 1 ? "pods" : "services", &r);
		check(&r);
	}
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (probe_classify_text(text) > PO_NO_ANSWER)
		abort();
	free(text);
	return 0;
}
