/*
 * live_rusage: bench/rusage.c with --cpu as the default, for bench/live.sh
 * (which compares CPU time as well):
 *
 *   live_rusage OUT CMD [ARG...]
 *
 * writes "<wall s> <user s> <sys s> <peak RSS KiB> <status>" to OUT.
 * Equivalent: `rusage --cpu OUT CMD [ARG...]`.
 */
#define RUSAGE_NAME "live_rusage"
#define RUSAGE_CPU true

#include "rusage.c"
