/*
 * arena: bump allocator for data that lives and dies together.
 *
 * Parsed documents, decoded models and reports allocate from an arena and
 * are freed in one call. Memory is taken from the system in blocks; an
 * allocation larger than a block gets a block of its own. Never fails
 * (out-of-memory exits, see xalloc.h).
 *
 *   struct arena a;
 *   arena_init(&a, 0);
 *   char *s = arena_strdup(&a, "x");
 *   arena_release(&a);
 */
#ifndef ID_ARENA_H
#define ID_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;  /* current block (newest) */
	size_t block_size;         /* size of ordinary blocks */
	size_t used;               /* bytes handed out, for statistics */
};

/* Initialise; block_size 0 picks 64 KiB. Allocates nothing yet. */
void arena_init(struct arena *a, size_t block_size);
/* Free every block; the arena may be re-initialised afterwards. */
void arena_release(struct arena *a);
/* Free all blocks but the first and make it empty again (reuse). */
void arena_reset(struct arena *a);

/* n bytes aligned to 8 (uninitialised). */
void *arena_alloc(struct arena *a, size_t n);
/* n zeroed bytes aligned to 8. */
void *arena_zalloc(struct arena *a, size_t n);
/* Array of nmemb zeroed elements, overflow-checked. */
void *arena_calloc(struct arena *a, size_t nmemb, size_t size);
/* Copies of strings, NUL-terminated. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Copy of n bytes. */
void *arena_memdup(struct arena *a, const void *p, size_t n);

#endif
