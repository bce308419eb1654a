/* fuzz_form.c - libFuzzer target for the urlencoded and multipart parsers.
 *
 * The first byte picks the parser (bit 0) and the limits (bit 1: tight
 * limits, so the TOO_MANY / TOO_LONG paths are reached with small inputs).
 * The rest is the body, copied into a buffer of exactly its size so ASan
 * catches any read past the end: bodies are not NUL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

static const form_limits tight = {4, 8, 16, 32};

/* Every text value the parsers return must be a C string of its length. */
static void check_list(const kvlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i].value) != l->v[i].len || l->v[i].name[0] == '\0') abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    size_t n = size - 1;
    char *body = malloc(n ? n : 1);
    if (!body) return 0;
    if (n) memcpy(body, data + 1, n);
    const form_limits *lim = (data[0] & 2) ? &tight : &form_default_limits;
    arena *a = arena_new(0);
    kvlist fields = {0};
    uploads files = {0};
    int rc;
    if (data[0] & 1) {
        rc = form_parse_multipart(a, "multipart/form-data; boundary=XyZ", body, n, lim, &fields,
                                  &files);
    } else {
        rc = form_parse_urlencoded(a, body, n, lim, &fields);
    }
    if (rc == FORM_OK) {
        check_list(&fields);
        if (fields.n + files.n > lim->max_fields) abort();
        for (size_t i = 0; i < files.n; i++)
            if (files.v[i].len > lim->max_file || strchr(files.v[i].filename, '/')) abort();
    }
    arena_free(a);
    free(body);
    return 0;
}
