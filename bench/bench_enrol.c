/* bench_enrol.c - the raw rate of one enrolment without HTTP: the exact
 * unit of work of the enrolment page (src/enrolment/tx.h: the seat, the
 * registration, its audit line and its mails, in one db_tx), run in a loop
 * in several threads on the database of KLANTPORTAL_DB. bench/enrol.sh
 * sets it next to the enrolments/s through the server on the same
 * database.
 *
 *   bench_enrol setup DIR PERSONS EVENTS
 *       PERSONS persons with an address and a session each, one course, and
 *       three groups of EVENTS free events (raw, warm, http) with PERSONS
 *       places each, so nobody is ever refused. Writes DIR/sessions.txt
 *       ("<session token> <csrf>" per person), DIR/persons.txt (ids) and
 *       DIR/events-raw.txt, events-warm.txt, events-http.txt (ids).
 *   bench_enrol run DIR THREADS SECONDS
 *       Enrolment number k (k = 0, 1, 2, ... shared by the threads) enrols
 *       person (k / E) mod P in event k mod E of events-raw.txt, as that
 *       person for themself (invoiced to the person), until SECONDS are up;
 *       another run goes on where the last one stopped.
 *       The event and person rows the page reads before its transaction
 *       are read once before the clock starts; the mails it queued are
 *       marked sent when it stops. Prints one line:
 *       enrol_raw threads= seconds= ok= refused= errors= per_s= p50_ms= p99_ms=
 *   bench_enrol check
 *       Every event: seats_taken <= capacity, and the registrations holding
 *       a seat (aangemeld, verwerkt) number exactly seats_taken. Prints
 *       enrol_check events= registrations= overbooked= mismatched=
 *       and exits 1 when an event is overbooked or off.
 *
 * Built by meson (build/bench_enrol), linking the program's own library. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "auth/token.h"
#include "core/privdrop.h"
#include "core/timeutil.h"
#include "enrolment/store.h"
#include "enrolment/tx.h"

#define MAX_THREADS 64

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, const char *why)
{
    fprintf(stderr, "bench_enrol: %s: %s\n", what, why ? why : "");
    return 1;
}

static FILE *open_in(const char *dir, const char *name, const char *mode)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, mode);
    if (!f) fprintf(stderr, "bench_enrol: cannot open %s\n", p);
    return f;
}

/* ---- setup ---------------------------------------------------------------- */

typedef struct setup_arg {
    const char *dir;
    int persons, events;
} setup_arg;

static int make_events(db_conn *c, arena *a, const char *course, const char *group, int n,
                       int places, FILE *out)
{
    const char *day = date_today_plus(a, 60);
    const char *now = arena_printf(a, "%lld", (long long)clock_now());
    for (int i = 0; i < n; i++) {
        db_res *r = db_select(
            c, a,
            "INSERT INTO events (course_id, name, starts_on, ends_on, start_time, end_time, "
            "location, capacity, price_cents, created_at) VALUES ($1, $2, $3, $3, '09:00', "
            "'16:30', 'Alkmaar', $4, 0, $5) RETURNING id",
            5,
            (const char *[]){course, arena_printf(a, "Bench %s %d", group, i + 1), day,
                             arena_printf(a, "%d", places), now});
        if (!r || r->nrows != 1) return -1;
        fprintf(out, "%s\n", db_get(r, 0, 0));
    }
    return 0;
}

static int setup_tx(db_conn *c, arena *a, void *arg)
{
    const setup_arg *s = arg;
    const char *now = arena_printf(a, "%lld", (long long)clock_now());
    const char *until = arena_printf(a, "%lld", (long long)clock_now() + 12 * 3600);
    FILE *sess = open_in(s->dir, "sessions.txt", "w"), *ids = open_in(s->dir, "persons.txt", "w");
    if (!sess || !ids) return -1;
    for (int i = 1; i <= s->persons; i++) {
        db_res *r = db_select(
            c, a,
            "INSERT INTO persons (first_name, infix, last_name, email, street, house_number, "
            "postcode, city, created_at, updated_at) VALUES ('Bench', '', $1, $2, 'Stationsweg', "
            "$3, '1811 AA', 'Alkmaar', $4, $4) RETURNING id",
            4,
            (const char *[]){arena_printf(a, "Deelnemer %d", i),
                             arena_printf(a, "bench-inschrijven-%d@example.nl", i),
                             arena_printf(a, "%d", i), now});
        if (!r || r->nrows != 1) return -1;
        const char *token = token_new(a), *csrf = token_new(a);
        if (db_q(c, a, NULL,
                 "INSERT INTO sessions (token_hash, person_id, csrf, created_at, last_seen_at, "
                 "expires_at) VALUES ($1, $2, $3, $4, $4, $5)",
                 token_hash(a, token), db_get(r, 0, 0), csrf, now, until) != 1)
            return -1;
        fprintf(sess, "%s %s\n", token, csrf);
        fprintf(ids, "%s\n", db_get(r, 0, 0));
    }
    fclose(sess);
    fclose(ids);
    db_res *course = db_select(c, a,
                               "INSERT INTO courses (slug, name, created_at) VALUES "
                               "('bench-inschrijven', 'Bench Inschrijven', $1) RETURNING id",
                               1, (const char *[]){now});
    if (!course || course->nrows != 1) return -1;
    static const char *const groups[] = {"raw", "warm", "http"};
    for (int g = 0; g < 3; g++) {
        char name[32];
        snprintf(name, sizeof name, "events-%s.txt", groups[g]);
        FILE *f = open_in(s->dir, name, "w");
        if (!f) return -1;
        int rc = make_events(c, a, db_get(course, 0, 0), groups[g], s->events, s->persons, f);
        fclose(f);
        if (rc != 0) return -1;
    }
    return 0;
}

/* ---- run ------------------------------------------------------------------ */

typedef struct shared {
    db *d;
    const app *ap;
    int persons, events;
    char **person_ids, **event_ids;
    db_res **person_rows, **event_rows;
    const char *today;
    double deadline;
    atomic_long next;
} shared;

typedef struct worker {
    pthread_t tid;
    shared *s;
    long ok, refused, errors;
    double *lat; /* ms per enrolment */
    size_t nlat, cap;
    char err[256];
} worker;

static void *run_worker(void *arg)
{
    worker *w = arg;
    shared *s = w->s;
    db_conn *c = db_acquire(s->d);
    arena *a = arena_new(64 * 1024);
    long limit = (long)s->persons * s->events;
    for (;;) {
        double t0 = now_s();
        if (t0 >= s->deadline) break;
        long k = atomic_fetch_add(&s->next, 1);
        if (k >= limit) break; /* every pair enrolled once */
        int ev = (int)(k % s->events), p = (int)(k / s->events % s->persons);
        arena_reset(a);
        long long pid = atoll(s->person_ids[p]);
        enrol_unit t = {
            .q = {.event_id = s->event_ids[ev],
                  .person_id = pid,
                  .enrolled_by = pid,
                  .today = s->today},
            .ev = s->event_rows[ev],
            .part = s->person_rows[p],
            .by = s->person_rows[p],
            .client_ip = "127.0.0.1",
            .ap = s->ap,
        };
        int rc = db_tx(c, a, enrolment_store, &t);
        double ms = (now_s() - t0) * 1000.0;
        if (rc == 0)
            w->ok++;
        else if (rc > 0)
            w->refused++;
        else {
            if (!w->errors) snprintf(w->err, sizeof w->err, "%s", db_errmsg(c));
            w->errors++;
        }
        if (w->nlat == w->cap) {
            w->cap = w->cap ? 2 * w->cap : 4096;
            w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
            if (!w->lat) abort();
        }
        w->lat[w->nlat++] = ms;
    }
    arena_free(a);
    db_release(s->d, c);
    return NULL;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* Reads one id per line; returns how many, the lines in *out (arena a). */
static int read_ids(arena *a, const char *dir, const char *name, char ***out)
{
    FILE *f = open_in(dir, name, "r");
    if (!f) return -1;
    int n = 0, cap = 1024;
    char **v = arena_alloc(a, (size_t)cap * sizeof *v), line[64];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line) continue;
        if (n == cap) {
            char **w = arena_alloc(a, (size_t)cap * 2 * sizeof *w);
            memcpy(w, v, (size_t)cap * sizeof *v);
            v = w;
            cap *= 2;
        }
        v[n++] = arena_strdup(a, line);
    }
    fclose(f);
    *out = v;
    return n;
}

/* How many registrations the events of a group (raw, warm, http) have;
 * -1 on an error. */
static long long group_count(db_conn *c, arena *a, const char *group)
{
    db_res *n = db_select(c, a,
                          "SELECT count(*) AS n FROM registrations r JOIN events e "
                          "ON e.id = r.event_id WHERE e.name LIKE $1",
                          1, (const char *[]){arena_printf(a, "Bench %s %%", group)});
    return n ? db_int(n, 0, "n") : -1;
}

/* What the page reads before its transaction: the event and the person. */
static int read_rows(shared *s, arena *a)
{
    db_conn *c = db_acquire(s->d);
    int rc = 0;
    s->event_rows = arena_alloc(a, (size_t)s->events * sizeof *s->event_rows);
    s->person_rows = arena_alloc(a, (size_t)s->persons * sizeof *s->person_rows);
    for (int i = 0; i < s->events && rc == 0; i++) {
        s->event_rows[i] = enrolment_event(c, a, s->event_ids[i], s->today);
        if (!s->event_rows[i] || s->event_rows[i]->nrows != 1) rc = -1;
    }
    for (int i = 0; i < s->persons && rc == 0; i++) {
        s->person_rows[i] = enrolment_person(c, a, atoll(s->person_ids[i]), 0);
        if (!s->person_rows[i] || s->person_rows[i]->nrows != 1) rc = -1;
    }
    /* a second run goes on after the pairs the first one enrolled */
    long long done = rc == 0 ? group_count(c, a, "raw") : -1;
    if (done < 0)
        rc = -1;
    else
        atomic_store(&s->next, (long)done);
    if (rc != 0) fprintf(stderr, "bench_enrol: reading the rows: %s\n", db_errmsg(c));
    db_release(s->d, c);
    return rc;
}

/* The mails this run queued count as sent: the raw rate is the
 * transaction's, and a server started afterwards must not spend the next
 * HTTP round delivering them (the mails of the HTTP rounds it delivers,
 * as it would in use). */
static int settle_mail(shared *s, long long since)
{
    arena *a = arena_new(4096);
    db_conn *c = db_acquire(s->d);
    int rc = db_q(c, a, NULL,
                  "UPDATE outbox SET sent_at = $1 WHERE sent_at IS NULL AND created_at >= $2",
                  arena_printf(a, "%lld", (long long)clock_now()), arena_printf(a, "%lld", since));
    if (rc < 0) fprintf(stderr, "bench_enrol: outbox: %s\n", db_errmsg(c));
    db_release(s->d, c);
    arena_free(a);
    return rc < 0 ? -1 : 0;
}

static int cmd_run(app *ap, arena *a, const char *dir, int threads, double seconds)
{
    shared s = {.ap = ap, .today = date_today_plus(a, 0)};
    char err[512];
    s.persons = read_ids(a, dir, "persons.txt", &s.person_ids);
    s.events = read_ids(a, dir, "events-raw.txt", &s.event_ids);
    if (s.persons <= 0 || s.events <= 0) return die("run", "no persons or events (setup first)");
    if (db_open(ap->cfg.db_url, threads, &s.d, err, sizeof err) != 0) return die("database", err);
    if (read_rows(&s, a) != 0) {
        db_close(s.d);
        return 1;
    }
    worker *w = calloc((size_t)threads, sizeof *w);
    long long started = (long long)clock_now();
    double t0 = now_s();
    s.deadline = t0 + seconds;
    for (int i = 0; i < threads; i++) {
        w[i].s = &s;
        pthread_create(&w[i].tid, NULL, run_worker, &w[i]);
    }
    long ok = 0, refused = 0, errors = 0;
    size_t n = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(w[i].tid, NULL);
        ok += w[i].ok;
        refused += w[i].refused;
        errors += w[i].errors;
        n += w[i].nlat;
        if (w[i].errors) fprintf(stderr, "bench_enrol: thread %d: %s\n", i, w[i].err);
    }
    double took = now_s() - t0;
    if (settle_mail(&s, started) != 0) errors++;
    double *all = malloc((n ? n : 1) * sizeof *all);
    size_t at = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + at, w[i].lat, w[i].nlat * sizeof *all);
        at += w[i].nlat;
        free(w[i].lat);
    }
    qsort(all, n, sizeof *all, cmp_double);
    double p50 = n ? all[n / 2] : 0, p99 = n ? all[n * 99 / 100] : 0;
    printf("enrol_raw threads=%d seconds=%.1f ok=%ld refused=%ld errors=%ld per_s=%.1f "
           "p50_ms=%.2f p99_ms=%.2f\n",
           threads, took, ok, refused, errors, ok / took, p50, p99);
    free(all);
    free(w);
    db_close(s.d);
    return errors ? 1 : 0;
}

/* ---- check ---------------------------------------------------------- */

static int cmd_check(app *ap, arena *a)
{
    char err[512];
    db *d;
    if (db_open(ap->cfg.db_url, 1, &d, err, sizeof err) != 0) return die("database", err);
    db_conn *c = db_acquire(d);
    db_res *r = db_select(
        c, a,
        "SELECT count(*) AS events, COALESCE(sum(held), 0) AS registrations, "
        "COALESCE(sum(CASE WHEN seats_taken > capacity THEN 1 ELSE 0 END), 0) AS overbooked, "
        "COALESCE(sum(CASE WHEN held <> seats_taken THEN 1 ELSE 0 END), 0) AS mismatched "
        "FROM (SELECT e.seats_taken, e.capacity, (SELECT count(*) FROM registrations r "
        "WHERE r.event_id = e.id AND r.status IN ('aangemeld', 'verwerkt')) AS held "
        "FROM events e) x",
        0, NULL);
    if (!r) {
        fprintf(stderr, "bench_enrol: check: %s\n", db_errmsg(c));
        db_release(d, c);
        db_close(d);
        return 1;
    }
    long long over = db_int(r, 0, "overbooked"), off = db_int(r, 0, "mismatched");
    printf("enrol_check events=%lld registrations=%lld overbooked=%lld mismatched=%lld\n",
           db_int(r, 0, "events"), db_int(r, 0, "registrations"), over, off);
    db_release(d, c);
    db_close(d);
    return over || off ? 1 : 0;
}

static int usage(void)
{
    fputs("usage: bench_enrol setup DIR PERSONS EVENTS | run DIR THREADS SECONDS | check\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage();
    app ap = {0};
    char err[512];
    /* as root, like the program: as KLANTPORTAL_USER, so the database's
     * files stay the server's */
    const char *user = getenv("KLANTPORTAL_USER");
    if (priv_require_user(user, err, sizeof err) != 0 || priv_drop(user, err, sizeof err) != 0)
        return die("rights", err);
    if (config_load(&ap.cfg, err, sizeof err) != 0) return die("settings", err);
    arena *a = arena_new(1 << 20);
    int rc;
    if (strcmp(argv[1], "setup") == 0 && argc == 5) {
        setup_arg s = {.dir = argv[2], .persons = atoi(argv[3]), .events = atoi(argv[4])};
        if (s.persons < 1 || s.events < 1) return usage();
        db *d;
        if (db_open(ap.cfg.db_url, 1, &d, err, sizeof err) != 0) return die("database", err);
        db_conn *c = db_acquire(d);
        rc = db_tx(c, a, setup_tx, &s);
        if (rc != 0) fprintf(stderr, "bench_enrol: setup: %s\n", db_errmsg(c));
        db_release(d, c);
        db_close(d);
        rc = rc != 0;
    } else if (strcmp(argv[1], "run") == 0 && argc == 5) {
        int threads = atoi(argv[3]);
        double seconds = atof(argv[4]);
        if (threads < 1 || threads > MAX_THREADS || seconds <= 0) return usage();
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/templates", ap.cfg.data_dir);
        ap.tmpl = tmpl_set_new();
        if (tmpl_load_dir(ap.tmpl, dir, err, sizeof err) != 0) return die("templates", err);
        rc = cmd_run(&ap, a, argv[2], threads, seconds);
        tmpl_set_free(ap.tmpl);
    } else if (strcmp(argv[1], "check") == 0 && argc == 2) {
        rc = cmd_check(&ap, a);
    } else {
        return usage();
    }
    arena_free(a);
    return rc;
}
