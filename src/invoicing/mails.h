/* mails.h - the invoice's mails: "Nieuwe factuur" with the PDF attached,
 * sent to the invoice party when an invoice or credit note is issued, and
 * one payment reminder INV_REMINDER_DAYS after the due date.
 *
 * Rendering a PDF takes tens of milliseconds, too long for the issuing
 * transaction (which holds the year's number counter), so issuing only
 * queues a one-off job (INV_MAIL_JOB, store.h) in its transaction; the job
 * renders the PDF from the issued copy and queues the mail with it in one
 * transaction of its own. The reminder is a periodic job that claims each
 * invoice with a conditional UPDATE, so several servers never send one
 * reminder twice.
 *
 * Thread-safety: the job functions keep no state; ctx is the read-only app.
 */
#ifndef KP_INVOICING_MAILS_H
#define KP_INVOICING_MAILS_H

#include <stddef.h>

#include "core/arena.h"
#include "db/db.h"
#include "invoicing/store.h"

#define INV_REMINDER_JOB "factuur-herinneringen"
/* How often the reminder job looks for invoices past due. */
#define INV_REMINDER_PERIOD_SECONDS 3600

/* The one-off job INV_MAIL_JOB (payload: the invoice id): loads the invoice, renders
 * the PDF and queues the mail with the PDF attached in one transaction.
 * Sending it again after a crash finds the mail queued and does nothing.
 * ctx is the app. 0, or -1 to be tried again (why in err). */
int inv_mail_job(db_conn *c, arena *a, const char *payload, void *ctx, char *err, size_t errlen);

/* The periodic job: every open invoice INV_REMINDER_DAYS past its due date
 * without a reminder gets one, with the PDF, in the transaction that sets
 * reminder_sent_at. ctx is the app. 0 or -1. */
int inv_reminder_job(db_conn *c, arena *a, const char *payload, void *ctx, char *err,
                     size_t errlen);

#endif
