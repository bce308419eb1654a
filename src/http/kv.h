/* kv.h - ordered name/value lists (query, form, cookies, headers).
 *
 * Values are NUL-terminated and also carry their length. Lists and their
 * strings live in the arena passed to kv_add(). */
#ifndef KP_KV_H
#define KP_KV_H

#include <stddef.h>

#include "core/arena.h"

typedef struct kv {
    const char *name;
    const char *value;
    size_t len;
} kv;

typedef struct kvlist {
    kv *v;
    size_t n, cap;
} kvlist;

/* Appends a pair; name and value are copied into the arena. */
void kv_add(kvlist *l, arena *a, const char *name, const char *value, size_t len);
/* Appends without copying: the caller guarantees the strings outlive the list. */
void kv_add_ref(kvlist *l, arena *a, const char *name, const char *value, size_t len);
/* First value for name, or NULL. */
const char *kv_get(const kvlist *l, const char *name);
/* Replaces the first value for name, or appends it. */
void kv_set(kvlist *l, arena *a, const char *name, const char *value);

#endif
