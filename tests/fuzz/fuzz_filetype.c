/* fuzz_filetype.c - libFuzzer target for judging an upload by its bytes
 * (core/filetype.h): the ZIP walk reads offsets from the input itself.
 *
 * The input is the file, in an exactly-sized buffer (ASan catches a read
 * past it), and also, NUL-terminated, a file name. Whatever it is, nothing
 * crashes; a kind found has a content type; a cleaned name is non-empty,
 * within the limit, without path separators or control characters, and
 * cleaning it again changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/filetype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *copy = malloc(size ? size : 1);
    char *name = malloc(size + 1);
    if (!copy || !name) abort();
    memcpy(copy, data, size);
    memcpy(name, data, size);
    name[size] = '\0';

    filetype_kind k = filetype_sniff(copy, size);
    if (k != FT_UNKNOWN && !filetype_content_type(k, "x")) abort();
    if (!filetype_label(k)) abort();
    (void)filetype_of_name(name);

    arena *a = arena_new(0);
    const char *c = filetype_clean_name(a, name);
    size_t n = strlen(c);
    if (n == 0 || n > FILETYPE_NAME_MAX) abort();
    for (const char *p = c; *p; p++)
        if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7F) abort();
    if (strcmp(filetype_clean_name(a, c), c) != 0) abort();
    arena_free(a);
    free(copy);
    free(name);
    return 0;
}
