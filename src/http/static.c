/* static.c - see static.h. The whole folder is small (CSS, a script, a few
 * images), so keeping it in memory makes serving it a lookup. */
#include "http/static.h"

#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct sfile {
    char *name; /* relative path, e.g. "style.css" */
    char *data;
    size_t len;
    char etag[24];
    const char *type;
} sfile;

struct static_files {
    sfile *v;
    size_t n, cap;
};

const char *static_content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".otf", "font/otf"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},
        {".json", "application/json"},
        {".html", "text/html; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n < 0) {
        fclose(f);
        return -1;
    }
    char *d = malloc((size_t)n + 1);
    if (!d || fread(d, 1, (size_t)n, f) != (size_t)n) {
        free(d);
        fclose(f);
        return -1;
    }
    fclose(f);
    d[n] = '\0';
    *data = d;
    *len = (size_t)n;
    return 0;
}

static int add_file(static_files *s, const char *path, const char *rel)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v) abort();
    }
    sfile *f = &s->v[s->n];
    if (read_file(path, &f->data, &f->len) != 0) return -1;
    f->name = strdup(rel);
    snprintf(f->etag, sizeof f->etag, "%016llx", (unsigned long long)fnv1a(f->data, f->len));
    f->type = static_content_type(rel);
    s->n++;
    return 0;
}

static int walk(static_files *s, const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[PATH_MAX], rel[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(rel, sizeof rel, "%s%s", prefix, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            char sub[PATH_MAX + 2];
            snprintf(sub, sizeof sub, "%s/", rel);
            rc = walk(s, path, sub);
        } else if (S_ISREG(st.st_mode)) {
            rc = add_file(s, path, rel);
        }
    }
    closedir(d);
    return rc;
}

int static_load(const char *dir, static_files **out, char *err, size_t errlen)
{
    static_files *s = calloc(1, sizeof *s);
    if (!s) abort();
    if (walk(s, dir, "") != 0) {
        snprintf(err, errlen, "kan de map %s niet lezen", dir);
        static_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int static_add_file(static_files *s, const char *path, const char *name)
{
    return add_file(s, path, name);
}

void static_free(static_files *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].name);
        free(s->v[i].data);
    }
    free(s->v);
    free(s);
}

static const sfile *find(const static_files *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].name, name) == 0) return &s->v[i];
    return NULL;
}

const char *static_etag(const static_files *s, const char *name)
{
    const sfile *f = find(s, name);
    return f ? f->etag : NULL;
}

void static_handler(http_req *rq, http_resp *rs)
{
    const char *name = req_param(rq, "file");
    const sfile *f = name ? find(rq->site->statics, name) : NULL;
    if (!f) {
        resp_text(rs, 404, "Niet gevonden");
        return;
    }
    char *etag = arena_printf(rq->a, "\"%s\"", f->etag);
    resp_header(rs, rq->a, "ETag", etag);
    resp_header(rs, rq->a, "Cache-Control", "public, max-age=31536000, immutable");
    const char *inm = req_header(rq, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0) {
        rs->status = 304;
        rs->content_type = NULL;
        rs->data = "";
        rs->len = 0;
        return;
    }
    rs->content_type = f->type;
    rs->data = f->data;
    rs->len = f->len;
}
