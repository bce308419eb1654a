/* lapse.c - the periodic job that lets unconfirmed sign-ups lapse: a
 * bezoeker's seat (or waiting-list place) is held for a day; without the
 * address confirmed by then, the registration is cancelled, which frees
 * the seat for the first on the waiting list, who is mailed. Each sign-up
 * lapses in a transaction of its own, so one that fails (and is tried again
 * on the next run) never holds back the others, and several server
 * processes may run the job at once: the second finds nothing left. */
#include <stdio.h>

#include "app.h"
#include "auth/audit.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "enrolment/enrolment.h"
#include "enrolment/hold.h"
#include "enrolment/internal.h"
#include "enrolment/store.h"

/* Sign-ups read per query; the job goes on until none is left. */
#define LAPSE_BATCH 100

typedef struct lapse_tx {
    const app *ap;
    const char *id;
    long long now;
    const char *today;
    long long promoted;
} lapse_tx;

static int lapse_one(db_conn *c, arena *a, void *arg)
{
    lapse_tx *t = arg;
    int rc = hold_lapse(c, a, t->id, t->now, t->today, &t->promoted);
    if (rc != 0) return rc;
    const char *detail = t->promoted ? arena_printf(a,
                                                    "niet bevestigd binnen de termijn; de plaats "
                                                    "is naar inschrijving %lld van de wachtlijst",
                                                    t->promoted)
                                     : "niet bevestigd binnen de termijn";
    if (audit_log(c, a, 0, "", "aanmelding_vervallen", t->id, detail) != 0) return -1;
    if (!t->promoted) return 0;
    if (audit_log(c, a, 0, "", "inschrijving_van_wachtlijst", arena_printf(a, "%lld", t->promoted),
                  arena_printf(a, "plaats vrijgekomen door vervallen aanmelding %s", t->id)) != 0)
        return -1;
    return enrol_mail_promoted(c, a, t->ap, t->promoted);
}

int enrolment_lapse_job(db_conn *c, arena *a, const char *payload, void *ctx, char *err,
                        size_t errlen)
{
    (void)payload;
    (void)a; /* the job's arena is the runner's: each batch and each sign-up gets its own */
    const app *ap = ctx;
    arena *batch = arena_new(0), *one = arena_new(0);
    int failed = 0, lapsed = 0;
    for (;;) {
        arena_reset(batch);
        long long now = (long long)clock_now();
        db_res *due = hold_due(c, batch, now, LAPSE_BATCH);
        if (!due) {
            failed = 1;
            break;
        }
        int done = 0;
        for (int i = 0; i < due->nrows; i++) {
            arena_reset(one);
            lapse_tx t = {ap, db_val(due, i, "id"), now, date_today_plus(one, 0), 0};
            int rc = db_tx(c, one, lapse_one, &t);
            if (rc < 0) {
                log_error("aanmelding %s laten vervallen: %s", t.id, db_errmsg(c));
                failed = 1;
            } else {
                done++;
                lapsed += rc == 0;
            }
        }
        /* a batch with errors ends the run (the next run tries again), so
         * a row that keeps failing never makes this loop endless */
        if (due->nrows < LAPSE_BATCH || done < due->nrows) break;
    }
    arena_free(one);
    arena_free(batch);
    if (lapsed) log_info("%d onbevestigde aanmelding(en) vervallen", lapsed);
    if (!failed) return 0;
    snprintf(err, errlen, "aanmeldingen laten vervallen: %s", db_errmsg(c));
    return -1;
}
