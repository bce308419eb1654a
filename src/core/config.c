/* config.c - see config.h */
#include "core/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return (v && *v) ? v : fallback;
}

static int is_data_dir(const char *dir)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s/templates/layout.html", dir) >= (int)sizeof p) return 0;
    return access(p, R_OK) == 0;
}

/* The data folder (templates/, static/, migrations/) is found without a
 * setting in the usual cases: next to the binary's parent (build/klantportal
 * in a checkout), where `meson install` put it, or the current directory. */
static const char *find_data_dir(void)
{
    const char *env = getenv("KLANTPORTAL_DATA_DIR");
    if (env && *env) return env;
    static char exe[PATH_MAX], shared[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 2; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash) break;
            *slash = '\0';
            if (is_data_dir(exe)) return exe;
            /* an installed tree moved as a whole (a package root, DESTDIR):
             * <prefix>/bin/klantportal next to <prefix>/share/klantportal */
            snprintf(shared, sizeof shared, "%s/share/klantportal", exe);
            if (up == 1 && is_data_dir(shared)) return shared;
        }
    }
#ifdef KP_INSTALLED_DATA_DIR
    if (is_data_dir(KP_INSTALLED_DATA_DIR)) return KP_INSTALLED_DATA_DIR;
#endif
    return ".";
}

int config_parse_long(const char *s, long min, long max, long *out)
{
    if (!s || !*s || !((*s >= '0' && *s <= '9') || (*s == '-' && min < 0))) return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max) return -1;
    *out = v;
    return 0;
}

int config_split_listen(const char *listen, char *host, size_t hostlen, int *port)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen) return -1;
    size_t hl = (size_t)(colon - listen);
    const char *h = listen;
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0 || hl >= hostlen) return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || p < 0 || p > 65535) return -1;
    *port = (int)p;
    return 0;
}

/* A whole number in [min, max] from the environment, or the fallback when
 * unset. Returns 0, or -1 with the setting named in err. */
static int env_int(const char *name, long fallback, long min, long max, int *out, char *err,
                   size_t errlen)
{
    const char *v = env_or(name, NULL);
    long n = fallback;
    if (v && config_parse_long(v, min, max, &n) != 0) {
        snprintf(err, errlen, "%s moet een geheel getal van %ld tot %ld zijn, niet '%.40s'", name,
                 min, max, v);
        return -1;
    }
    *out = (int)n;
    return 0;
}

/* The settings that protect the server's connections. */
static int load_limits(config *cfg, char *err, size_t errlen)
{
    char why[160];
    if (netaddr_list_parse(env_or("KLANTPORTAL_TRUSTED_PROXIES", ""), &cfg->trusted_proxies, why,
                           sizeof why) != 0) {
        snprintf(err, errlen, "KLANTPORTAL_TRUSTED_PROXIES: %s", why);
        return -1;
    }
    if (env_int("KLANTPORTAL_CONNECTIONS_PER_ADDRESS", 64, 1, 100000, &cfg->conns_per_address, err,
                errlen) != 0)
        return -1;
    return env_int("KLANTPORTAL_RECEIVE_SECONDS", 15, 1, 3600, &cfg->receive_seconds, err, errlen);
}

int config_load(config *cfg, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->db_url = env_or("KLANTPORTAL_DB", "sqlite:var/klantportal.db");
    cfg->listen = env_or("KLANTPORTAL_LISTEN", "127.0.0.1:8080");
    cfg->smtp_url = env_or("KLANTPORTAL_SMTP_URL", NULL);
    cfg->mail_dir = env_or("KLANTPORTAL_MAIL_DIR", "var/mail");
    cfg->mail_from = env_or("KLANTPORTAL_MAIL_FROM", "info@onderwijsgroepnwh.nl");
    cfg->data_dir = find_data_dir();
    cfg->common_passwords = env_or("KLANTPORTAL_COMMON_PASSWORDS", NULL);
    cfg->font_dir = env_or("KLANTPORTAL_FONT_DIR", "/usr/share/fonts/opentype/inter");
    cfg->pdf_font_dir = env_or("KLANTPORTAL_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu");

    static char base[512];
    snprintf(base, sizeof base, "%s", env_or("KLANTPORTAL_BASE_URL", "http://127.0.0.1:8080"));
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/')
        base[--bl] = '\0';
    cfg->base_url = base;
    if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0) {
        snprintf(err, errlen, "KLANTPORTAL_BASE_URL moet beginnen met http:// of https://");
        return -1;
    }
    cfg->https = strncmp(base, "https://", 8) == 0;

    char host[256];
    int port;
    if (config_split_listen(cfg->listen, host, sizeof host, &port) != 0) {
        snprintf(err, errlen, "KLANTPORTAL_LISTEN moet de vorm adres:poort hebben, niet '%s'",
                 cfg->listen);
        return -1;
    }
    /* 0: one request thread per core */
    if (env_int("KLANTPORTAL_THREADS", 0, 0, 64, &cfg->threads, err, errlen) != 0) return -1;
    if (cfg->threads == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        cfg->threads = cpus > 0 ? (cpus > 64 ? 64 : (int)cpus) : 2;
    }
    int cache_ms;
    if (env_int("KLANTPORTAL_PAGE_CACHE_MS", 2000, 0, 60000, &cache_ms, err, errlen) != 0 ||
        env_int("KLANTPORTAL_QUERY_TIMEOUT_MS", 5000, 0, 600000, &cfg->query_timeout_ms, err,
                errlen) != 0 ||
        env_int("KLANTPORTAL_DB_WAIT_MS", 5000, 1, 600000, &cfg->db_wait_ms, err, errlen) != 0 ||
        env_int("KLANTPORTAL_MAIL_RETENTION_DAYS", 30, 1, 3650, &cfg->mail_retention_days, err,
                errlen) != 0)
        return -1;
    cfg->page_cache_ms = cache_ms;
    cfg->secret_key_file = env_or("KLANTPORTAL_SECRET_KEY_FILE", "var/klantportal.key");
    return load_limits(cfg, err, errlen);
}
