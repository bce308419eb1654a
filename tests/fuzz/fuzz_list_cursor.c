/* fuzz_list_cursor.c - libFuzzer target for the list cursor decoder.
 *
 * The input is the cursor text (copied into an exactly-sized NUL-terminated
 * buffer, so ASan catches a read past it). Whatever decodes must be valid
 * for the database (UTF-8 key without NUL, id > 0) and must encode back to
 * the very same text: one spelling per cursor.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) abort();
    memcpy(text, data, size);
    text[size] = '\0';
    arena *a = arena_new(0);
    list_cursor c;
    if (list_cursor_decode(a, text, &c) == 0) {
        if (c.id <= 0 || c.page < 0 || c.page > LIST_PAGE_MAX || strlen(c.key) > LIST_KEY_MAX)
            abort();
        char *again = list_cursor_encode(a, &c);
        if (!again || strcmp(again, text) != 0) abort();
    }
    arena_free(a);
    free(text);
    return 0;
}
