/* kv.c - see kv.h */
#include "http/kv.h"

#include <string.h>

void kv_add_ref(kvlist *l, arena *a, const char *name, const char *value, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        kv *v = arena_alloc(a, cap * sizeof(*v));
        if (l->n) memcpy(v, l->v, l->n * sizeof(*v));
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n].name = name;
    l->v[l->n].value = value;
    l->v[l->n].len = len;
    l->n++;
}

void kv_add(kvlist *l, arena *a, const char *name, const char *value, size_t len)
{
    kv_add_ref(l, a, arena_strdup(a, name), arena_strndup(a, value, len), len);
}

const char *kv_get(const kvlist *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0) return l->v[i].value;
    return NULL;
}

void kv_set(kvlist *l, arena *a, const char *name, const char *value)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0) {
            l->v[i].value = arena_strdup(a, value);
            l->v[i].len = strlen(value);
            return;
        }
    kv_add(l, a, name, value, strlen(value));
}
