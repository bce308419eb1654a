/* connguard.c - see connguard.h */
#include "http/connguard.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include "core/log.h"

#define BUCKETS 1024
#define TICK_MS 200
#define MAX_THREADS 128

typedef struct addr_count {
    struct addr_count *next;
    netaddr addr;
    int n;
} addr_count;

struct conn_slot {
    conn_slot *prev, *next;
    netaddr addr;
    int fd;
    int counted; /* holds one of its address's places */
    int waiting; /* the clock runs */
    int cut;     /* shut down already */
    int thread;  /* the request thread that serves it, -1 unknown */
    long long since_ms;
    long long busy_at; /* that thread's busy time when the clock started */
};

struct connguard {
    const netaddr_list *trusted;
    int per_address;
    long long deadline_ms;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stopping;
    pthread_t watchdog;
    conn_slot *head;
    addr_count *buckets[BUCKETS];
    /* Per request thread: time spent in handlers so far, and since when
     * it is in one now (0 = not). */
    atomic_llong busy_total[MAX_THREADS];
    atomic_llong busy_since[MAX_THREADS];
    atomic_int nthreads;
};

/* This thread's number in the guard that last saw it. */
static __thread connguard *thread_guard;
static __thread int thread_no = -1;

static int my_thread(connguard *g)
{
    if (thread_guard != g) {
        thread_guard = g;
        int n = atomic_fetch_add(&g->nthreads, 1);
        thread_no = n < MAX_THREADS ? n : -1;
    }
    return thread_no;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* How many leading bytes tell clients apart: IPv6 clients count per /64,
 * like the brake, since one customer's network has 2^64 addresses to
 * spread connections over; IPv4 (also IPv4-mapped IPv6) per address. */
static int group_bytes(const netaddr *a)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (a->family != AF_INET6 || memcmp(a->b, mapped, sizeof mapped) == 0) return 16;
    return 8;
}

static int same_client(const netaddr *x, const netaddr *y)
{
    return x->family == y->family && memcmp(x->b, y->b, (size_t)group_bytes(x)) == 0;
}

static unsigned hash(const netaddr *a)
{
    unsigned h = 2166136261u;
    for (int i = 0; i < group_bytes(a); i++)
        h = (h ^ a->b[i]) * 16777619u;
    return h % BUCKETS;
}

/* The count for an address; with create, a new zero entry if missing.
 * Caller holds g->mu. */
static addr_count *find(connguard *g, const netaddr *a, int create)
{
    addr_count **pp = &g->buckets[hash(a)];
    for (addr_count *e = *pp; e; e = e->next)
        if (same_client(&e->addr, a)) return e;
    if (!create) return NULL;
    addr_count *e = calloc(1, sizeof *e);
    if (!e) abort();
    e->addr = *a;
    e->next = *pp;
    *pp = e;
    return e;
}

static void release(connguard *g, const netaddr *a)
{
    addr_count **pp = &g->buckets[hash(a)];
    for (addr_count *e = *pp; e; pp = &e->next, e = e->next) {
        if (!same_client(&e->addr, a)) continue;
        if (--e->n <= 0) {
            *pp = e->next;
            free(e);
        }
        return;
    }
}

static long long thread_busy(connguard *g, int t, long long now)
{
    if (t < 0) return 0;
    long long since = atomic_load(&g->busy_since[t]);
    return atomic_load(&g->busy_total[t]) + (since ? now - since : 0);
}

/* How long the connection has had to send its request: the time its
 * thread spent handling other requests does not count, since meanwhile
 * the thread could not read what the client sent. */
static long long waited(connguard *g, const conn_slot *s, long long now)
{
    return now - s->since_ms - (thread_busy(g, s->thread, now) - s->busy_at);
}

static void cut_overdue(connguard *g, long long now)
{
    for (conn_slot *s = g->head; s; s = s->next) {
        if (!s->waiting || s->cut || waited(g, s, now) <= g->deadline_ms) continue;
        /* Bytes not read yet: the server is behind (busy threads), not the
         * client; cut only a client that has sent all it had. */
        int pending = 0;
        if (ioctl(s->fd, FIONREAD, &pending) == 0 && pending > 0) continue;
        /* libmicrohttpd sees the end of the stream and closes the socket
         * itself; closing it here could hit a reused descriptor. */
        shutdown(s->fd, SHUT_RDWR);
        s->cut = 1;
        char ip[NETADDR_TEXT];
        netaddr_format(&s->addr, ip);
        log_info("verbinding van %s gesloten: verzoek niet binnen %lld s ontvangen", ip,
                 g->deadline_ms / 1000);
    }
}

static void *watchdog_main(void *arg)
{
    connguard *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stopping) {
        cut_overdue(g, now_ms());
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_nsec += TICK_MS * 1000000L;
        if (t.tv_nsec >= 1000000000L) {
            t.tv_sec++;
            t.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g->cv, &g->mu, &t);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

connguard *connguard_new(const netaddr_list *trusted, int per_address, int receive_seconds)
{
    connguard *g = calloc(1, sizeof *g);
    if (!g) abort();
    g->trusted = trusted;
    g->per_address = per_address;
    g->deadline_ms = (long long)receive_seconds * 1000;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    if (g->deadline_ms > 0 && pthread_create(&g->watchdog, NULL, watchdog_main, g) != 0) abort();
    return g;
}

void connguard_free(connguard *g)
{
    if (!g) return;
    pthread_mutex_lock(&g->mu);
    g->stopping = 1;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
    if (g->deadline_ms > 0) pthread_join(g->watchdog, NULL);
    while (g->head)
        connguard_close(g, g->head);
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->cv);
    free(g);
}

/* Whether connections from a are counted against the limit at all. */
static int limited(const connguard *g, const netaddr *a)
{
    return g->per_address > 0 && a->family && !netaddr_list_has(g->trusted, a);
}

int connguard_admit(connguard *g, const struct sockaddr *sa)
{
    netaddr a;
    if (netaddr_from_sockaddr(sa, &a) != 0 || !limited(g, &a)) return 1;
    pthread_mutex_lock(&g->mu);
    addr_count *e = find(g, &a, 0);
    int ok = !e || e->n < g->per_address;
    pthread_mutex_unlock(&g->mu);
    return ok;
}

conn_slot *connguard_open(connguard *g, const struct sockaddr *sa, int fd)
{
    conn_slot *s = calloc(1, sizeof *s);
    if (!s) abort();
    netaddr_from_sockaddr(sa, &s->addr);
    s->fd = fd;
    s->waiting = 1;
    s->since_ms = now_ms();
    s->thread = my_thread(g);
    s->busy_at = thread_busy(g, s->thread, s->since_ms);
    pthread_mutex_lock(&g->mu);
    if (limited(g, &s->addr)) {
        addr_count *e = find(g, &s->addr, 1);
        if (e->n < g->per_address) {
            e->n++;
            s->counted = 1;
        } else {
            shutdown(fd, SHUT_RDWR);
            s->cut = 1;
        }
    }
    s->next = g->head;
    if (g->head) g->head->prev = s;
    g->head = s;
    pthread_mutex_unlock(&g->mu);
    return s;
}

void connguard_close(connguard *g, conn_slot *s)
{
    if (!s) return;
    pthread_mutex_lock(&g->mu);
    if (s->counted) release(g, &s->addr);
    if (s->prev)
        s->prev->next = s->next;
    else
        g->head = s->next;
    if (s->next) s->next->prev = s->prev;
    pthread_mutex_unlock(&g->mu);
    free(s);
}

void connguard_request_in(connguard *g, conn_slot *s)
{
    if (!s) return;
    pthread_mutex_lock(&g->mu);
    s->waiting = 0;
    pthread_mutex_unlock(&g->mu);
}

void connguard_next_request(connguard *g, conn_slot *s)
{
    if (!s) return;
    long long now = now_ms();
    pthread_mutex_lock(&g->mu);
    s->waiting = 1;
    s->since_ms = now;
    s->busy_at = thread_busy(g, s->thread, now);
    pthread_mutex_unlock(&g->mu);
}

void connguard_busy(connguard *g, int busy)
{
    int t = my_thread(g);
    if (t < 0) return;
    long long now = now_ms();
    if (busy) {
        atomic_store(&g->busy_since[t], now);
        return;
    }
    long long since = atomic_exchange(&g->busy_since[t], 0);
    if (since) atomic_fetch_add(&g->busy_total[t], now - since);
}
