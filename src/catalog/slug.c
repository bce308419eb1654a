/* slug.c - see slug.h */
#include "catalog/slug.h"

#include <string.h>

#include "core/buf.h"

/* Two-byte UTF-8 sequences of Latin-1 letters mapped to ASCII. */
static char fold_latin1(unsigned char c2)
{
    static const char map[64] = "AAAAAAACEEEEIIIIDNOOOOO/OUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
    char r = map[c2 - 0x80 < 64 ? c2 - 0x80 : 0];
    return (r >= 'A' && r <= 'Z') ? (char)(r - 'A' + 'a') : r;
}

char *slug_make(arena *a, const char *name)
{
    buf b;
    buf_init(&b, a, 64);
    int dash = 0;
    for (const unsigned char *p = (const unsigned char *)name; p && *p; p++) {
        char c = 0;
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            c = (char)*p;
        else if (*p >= 'A' && *p <= 'Z')
            c = (char)(*p - 'A' + 'a');
        else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            c = fold_latin1(p[1]);
            p++;
            if (!((c >= 'a' && c <= 'z'))) c = 0;
        }
        if (c) {
            if (dash && b.len > 0) buf_putc(&b, '-');
            dash = 0;
            buf_putc(&b, c);
        } else {
            dash = 1;
        }
    }
    if (b.len == 0) buf_puts(&b, "item");
    return b.data;
}

static int alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int slug_valid(const char *s)
{
    if (!s || !alnum(*s) || strlen(s) > SLUG_MAX) return 0;
    for (const char *p = s; *p; p++) {
        if (alnum(*p)) continue;
        if (*p != '-' || !alnum(p[1])) return 0;
    }
    return 1;
}

int slug_path_valid(const char *path)
{
    if (!path || !*path || strlen(path) > 400) return 0;
    int segs = 1, seglen = 0;
    for (const char *p = path; *p; p++) {
        if (*p == '/') {
            if (seglen == 0) return 0;
            segs++;
            seglen = 0;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-') {
            seglen++;
        } else {
            return 0;
        }
    }
    return seglen > 0 && segs <= 12;
}

void slug_path_split(arena *a, const char *path, char **parent, char **last)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *parent = arena_strdup(a, "");
        *last = arena_strdup(a, path);
        return;
    }
    *parent = arena_strndup(a, path, (size_t)(slash - path));
    *last = arena_strdup(a, slash + 1);
}
