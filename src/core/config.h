/* config.h - settings from environment variables (PRODUCT §6).
 *
 * Read once at start-up by main; afterwards read-only and shared. */
#ifndef KP_CONFIG_H
#define KP_CONFIG_H

#include <stddef.h>

#include "core/netaddr.h"

typedef struct config {
    const char *db_url;           /* KLANTPORTAL_DB */
    const char *listen;           /* KLANTPORTAL_LISTEN, "host:port" */
    const char *base_url;         /* KLANTPORTAL_BASE_URL, without trailing '/' */
    const char *mail_dir;         /* KLANTPORTAL_MAIL_DIR */
    const char *smtp_url;         /* KLANTPORTAL_SMTP_URL, NULL if unset */
    const char *mail_from;        /* KLANTPORTAL_MAIL_FROM */
    const char *data_dir;         /* where templates/, static/ and migrations/ are */
    const char *common_passwords; /* KLANTPORTAL_COMMON_PASSWORDS; NULL: the system's list */
    const char *font_dir;         /* KLANTPORTAL_FONT_DIR: the typeface (fonts-inter) */
    const char *pdf_font_dir;     /* KLANTPORTAL_PDF_FONT_DIR: DejaVu Sans for PDF files */
    int threads;                  /* KLANTPORTAL_THREADS, request threads */
    int https;                    /* base_url starts with https:// */
    long page_cache_ms;           /* KLANTPORTAL_PAGE_CACHE_MS: public pages kept; 0 = off */
    const char *secret_key_file;  /* KLANTPORTAL_SECRET_KEY_FILE, var/klantportal.key */
    int mail_retention_days;      /* KLANTPORTAL_MAIL_RETENTION_DAYS: sent mail kept, 30 */
    int query_timeout_ms; /* KLANTPORTAL_QUERY_TIMEOUT_MS: one statement at most; 0 = none */
    int db_wait_ms;       /* KLANTPORTAL_DB_WAIT_MS: a request waits this long for a connection */
    /* KLANTPORTAL_TRUSTED_PROXIES: peers whose X-Forwarded-For is believed
     * and whose connections are not limited per address. */
    netaddr_list trusted_proxies;
    int conns_per_address; /* KLANTPORTAL_CONNECTIONS_PER_ADDRESS, >= 1 */
    int receive_seconds;   /* KLANTPORTAL_RECEIVE_SECONDS: a whole request must be in by then */
} config;

/* Fills cfg from the environment. Returns 0, or -1 with a reason in err. */
int config_load(config *cfg, char *err, size_t errlen);
/* A whole decimal number in [min, max]; 0, or -1 for anything else
 * (sign, junk after the digits, overflow). For settings and user text
 * alike: never atoll on text we did not write ourselves. */
int config_parse_long(const char *s, long min, long max, long *out);
/* Splits "host:port" ("[::1]:8080" too). Returns 0 or -1. */
int config_split_listen(const char *listen, char *host, size_t hostlen, int *port);

#endif
