/* arena.h - per-request region allocator.
 *
 * Everything a request allocates comes from its arena and is released in
 * one go by arena_free() when the response has been sent. Allocation never
 * returns NULL: running out of memory aborts the process, because a server
 * that cannot allocate a few kilobytes cannot answer anyway.
 */
#ifndef KP_ARENA_H
#define KP_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(size_t block_size);
void arena_free(arena *a);
/* Forget all allocations but keep the first block for reuse. */
void arena_reset(arena *a);
void *arena_alloc(arena *a, size_t n);  /* 16-byte aligned, uninitialised */
void *arena_zalloc(arena *a, size_t n); /* zeroed */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Bytes handed out so far (for tests and statistics). */
size_t arena_used(const arena *a);

#endif
