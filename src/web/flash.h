/* flash.h - a notice shown once on the page after a redirect ("Uw gegevens
 * zijn opgeslagen."), instead of a ?melding=… query string that a handler
 * has to compare with strcmp chains and that stays in the address bar.
 *
 * A short-lived cookie (kp_melding, 60 s, HttpOnly) carries the notice's
 * key, never its text: every notice the portal can show is listed in
 * flash.c, so nobody can make the portal display words of their own. The
 * next page_render shows it (a success and an information notice look
 * different: colour, icon and text) and clears the cookie. Thread-safe:
 * the table is constant. */
#ifndef KP_FLASH_H
#define KP_FLASH_H

#include "http/http.h"

/* Queues the notice for the next page; an unknown key is a programming
 * error and is ignored (logged). */
void flash_set(http_req *rq, http_resp *rs, const char *key);
/* The text of a notice and whether it reports a success; NULL for an
 * unknown key. */
const char *flash_text(const char *key, int *success);
/* The notice this request brought (the cookie), or NULL; clears the
 * cookie on the response when there was one. A notice about the context
 * ("U werkt nu namens …") names the organisation the session acts for now
 * (rq->viewer), never a word from the cookie. */
const char *flash_take(http_req *rq, http_resp *rs, int *success);
/* Does the request bring a notice? Then its page is the visitor's own and
 * must bypass the page cache both ways (the before-hook sets
 * rq->personal from this). */
int flash_pending(const http_req *rq);

#endif
