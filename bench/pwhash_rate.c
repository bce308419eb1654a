/* pwhash_rate.c - the raw Argon2id rate of this machine at the server's
 * password cost (src/auth/password.c: opslimit 2, memlimit 19 MiB,
 * Argon2id v1.3). The ceiling for logins/s: every login is one
 * crypto_pwhash_str_verify at that cost, on a worker pool of
 * KLANTPORTAL_THREADS threads.
 *
 *   pwhash_rate [THREADS [SECONDS]]   hash in THREADS threads (default: the
 *                                     online CPUs) for SECONDS (default 10),
 *                                     print one line of key=value figures
 *   pwhash_rate --hash PASSWORD       print PASSWORD's encoded hash
 *
 * Built by bench/run.sh: cc -std=c17 -O2 pwhash_rate.c -lsodium -lpthread */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* keep in step with src/auth/password.c */
#define PW_MEMLIMIT (19u * 1024u * 1024u)
#define PW_OPSLIMIT 2u
#define MAX_THREADS 256

typedef struct worker {
    pthread_t tid;
    double deadline; /* monotonic seconds */
    long hashes;
    double finished; /* monotonic seconds after the last hash */
    int failed;
} worker;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int hash(const char *pw, char out[crypto_pwhash_STRBYTES])
{
    return crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPSLIMIT, PW_MEMLIMIT,
                                 crypto_pwhash_ALG_ARGON2ID13);
}

static void *run(void *arg)
{
    worker *w = arg;
    char out[crypto_pwhash_STRBYTES];
    /* Finishes the hash under way when time is up: the rate counts whole
     * hashes over the time they really took. */
    while (now_s() < w->deadline) {
        if (hash("Kievit!Zwaluw27", out) != 0) {
            w->failed = 1; /* out of memory */
            break;
        }
        w->hashes++;
    }
    w->finished = now_s();
    return NULL;
}

static int usage(void)
{
    fputs("usage: pwhash_rate [THREADS [SECONDS]] | pwhash_rate --hash PASSWORD\n", stderr);
    return 2;
}

static long arg_long(const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return (*s && !*end && v >= lo && v <= hi) ? v : -1;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fputs("pwhash_rate: sodium_init failed\n", stderr);
        return 1;
    }
    if (argc >= 2 && strcmp(argv[1], "--hash") == 0) {
        if (argc != 3) return usage();
        char out[crypto_pwhash_STRBYTES];
        if (hash(argv[2], out) != 0) {
            fputs("pwhash_rate: hashing failed (out of memory?)\n", stderr);
            return 1;
        }
        puts(out);
        return 0;
    }
    if (argc > 3) return usage();
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long nthreads = argc >= 2 ? arg_long(argv[1], 1, MAX_THREADS) : (cpus > 0 ? cpus : 1);
    long seconds = argc >= 3 ? arg_long(argv[2], 1, 3600) : 10;
    if (nthreads < 1 || seconds < 1) return usage();
    if (nthreads > MAX_THREADS) nthreads = MAX_THREADS;

    static worker w[MAX_THREADS];
    double start = now_s();
    for (long i = 0; i < nthreads; i++) {
        w[i].deadline = start + (double)seconds;
        if (pthread_create(&w[i].tid, NULL, run, &w[i]) != 0) {
            fputs("pwhash_rate: pthread_create failed\n", stderr);
            return 1;
        }
    }
    long total = 0;
    double end = start;
    int failed = 0;
    for (long i = 0; i < nthreads; i++) {
        pthread_join(w[i].tid, NULL);
        total += w[i].hashes;
        failed |= w[i].failed;
        if (w[i].finished > end) end = w[i].finished;
    }
    if (failed || total == 0) {
        fputs("pwhash_rate: hashing failed (out of memory?)\n", stderr);
        return 1;
    }
    double elapsed = end - start;
    printf("hashes_per_s=%.2f threads=%ld seconds=%.2f hashes=%ld ms_per_hash=%.2f\n",
           (double)total / elapsed, nthreads, elapsed, total,
           1000.0 * elapsed * (double)nthreads / (double)total);
    return 0;
}
