/*
 * cri: split a line of a kubelet container log file (CRI format) into its
 * stream, tag and content (logline.h: ll_cri_split), for rejoining the
 * partial lines a runtime writes for long lines (tally.c).
 *
 * Format (Kubernetes pkg/kubelet/kuberuntime/logs/logs.go, parseCRILog):
 * "<RFC3339Nano> <stdout|stderr> <tags> <content>", tags split on ':', the
 * first "P" (partial) or "F" (full). Kept apart from logline.c so that the
 * hot line parser there is compiled as before.
 */
#include "logline.h"
#include "logline_int.h"

#include <string.h>

#include "../util/banned.h"

int ll_cri_split(const char *p, size_t n, int *stream, struct ll_str *content)
{
	const char *end = p + n, *sp, *q;

	/* "2024-03-26T16:21:04.076718973+01:00 " or "...Z " */
	if (n < 30 || !ll_digit(p[0]) || p[4] != '-' || p[7] != '-' || p[10] != 'T')
		return 0;
	sp = memchr(p, ' ', n < 40 ? n : 40);
	if (!sp || (sp[-1] != 'Z' && !ll_digit(sp[-1])))
		return 0;
	q = sp + 1;
	if (end - q < 9 || (memcmp(q, "stdout ", 7) && memcmp(q, "stderr ", 7)) ||
	    (q[7] != 'F' && q[7] != 'P') || (q[8] != ' ' && q[8] != ':'))
		return 0;
	*stream = q[3] == 'e';              /* "stderr": 1 */
	sp = q[8] == ' ' ? q + 8 : memchr(q + 8, ' ', (size_t)(end - q - 8));
	if (!sp)
		return 0;
	content->p = sp + 1;
	content->n = (size_t)(end - sp - 1);
	/* parseCRILog: a partial line's own trailing newline is not content */
	if (q[7] == 'P' && content->n && end[-1] == '\n')
		content->n--;
	return q[7];
}
