/* pagecache.c - see pagecache.h. A fixed table of slots, each with its own
 * lock, so threads serving different pages never wait on each other. */
#include "http/pagecache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct slot {
    pthread_mutex_t mu;
    char *key;
    char *body;
    size_t len;
    const char *content_type;
    long long stamp_ms;
} slot;

struct pagecache {
    slot *slots;
    size_t n;
    long ttl_ms;
};

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

pagecache *pagecache_new(size_t slots, long ttl_ms)
{
    pagecache *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->n = slots ? slots : 1;
    c->ttl_ms = ttl_ms;
    c->slots = calloc(c->n, sizeof *c->slots);
    if (!c->slots) abort();
    for (size_t i = 0; i < c->n; i++)
        pthread_mutex_init(&c->slots[i].mu, NULL);
    return c;
}

void pagecache_free(pagecache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->slots[i].key);
        free(c->slots[i].body);
        pthread_mutex_destroy(&c->slots[i].mu);
    }
    free(c->slots);
    free(c);
}

int pagecache_get(pagecache *c, arena *a, const char *key, const char **body, size_t *len,
                  const char **content_type)
{
    slot *s = &c->slots[hash(key) % c->n];
    int hit = 0;
    pthread_mutex_lock(&s->mu);
    if (s->key && strcmp(s->key, key) == 0 && now_ms() - s->stamp_ms < c->ttl_ms) {
        char *copy = arena_alloc(a, s->len + 1);
        memcpy(copy, s->body, s->len);
        copy[s->len] = '\0';
        *body = copy;
        *len = s->len;
        *content_type = s->content_type;
        hit = 1;
    }
    pthread_mutex_unlock(&s->mu);
    return hit;
}

void pagecache_put(pagecache *c, const char *key, const char *body, size_t len,
                   const char *content_type)
{
    slot *s = &c->slots[hash(key) % c->n];
    char *k = strdup(key), *b = malloc(len ? len : 1);
    if (!k || !b) {
        free(k);
        free(b);
        return;
    }
    memcpy(b, body, len);
    pthread_mutex_lock(&s->mu);
    char *old_key = s->key, *old_body = s->body;
    s->key = k;
    s->body = b;
    s->len = len;
    s->content_type = content_type;
    s->stamp_ms = now_ms();
    pthread_mutex_unlock(&s->mu);
    free(old_key);
    free(old_body);
}
