/*
 * report: renders a diagnosis. Renderers never decide: they only show
 * what the checks put in struct diag (findings.h).
 *
 * Text (for people): per Ingress path the chain
 *   Ingress -> Service port -> endpoints -> pods -> nodes
 * with a verdict at each hop, then each finding with evidence, fix and
 * commands; notes about checks that could not run; a summary line.
 * Colour only when opts->color (main decides: a terminal, no --no-color,
 * no NO_COLOR).
 *
 * JSON (for programs): the contract of interface.md (findings, ingresses
 * with path status, summary), plus "notes".
 */
#ifndef ID_REPORT_H
#define ID_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../findings/findings.h"

struct report_opts {
	bool color;
	int verbose;               /* -v: more evidence lines */
};

/* Both return 0, or -1 when writing failed (e.g. EPIPE). */
int report_text(FILE *f, const struct diag *d, const struct report_opts *o);
int report_json(FILE *f, const struct diag *d, const struct report_opts *o);

struct json_w;

/*
 * One finding as a JSON object of the interface.md shape (id, severity,
 * kind, namespace, name, hop, ingresses, message, evidence, fix,
 * commands): shared by every command that prints findings, so that
 * `diagnose` and `logs` cannot drift apart.
 */
void report_json_finding(struct json_w *w, const struct finding *f);

/*
 * The last members of a report object: "notes" (d's notes) and "summary"
 * (errors, warnings, infos: d's findings counted by severity), shared by
 * `diagnose` and `probe`.
 */
void report_json_notes_summary(struct json_w *w, const struct diag *d);

#endif
