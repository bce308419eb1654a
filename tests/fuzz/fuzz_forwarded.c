/* fuzz_forwarded.c - libFuzzer target for the X-Forwarded-For reading.
 *
 * The input is split at '\n' into header values, each copied into its own
 * exactly-sized NUL-terminated buffer (ASan catches a read past it). The
 * answer must always be the peer or an address that appears in the input,
 * never a trusted proxy unless every entry was one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/forwarded.h"

#define MAX_VALUES 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static netaddr_list trusted;
    static int ready;
    if (!ready) {
        char err[160];
        if (netaddr_list_parse("10.0.0.0/8, fd00::/8, 192.0.2.1", &trusted, err, sizeof err) != 0)
            abort();
        ready = 1;
    }
    char *values[MAX_VALUES];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= size && n < MAX_VALUES; i++) {
        if (i < size && data[i] != '\n') continue;
        values[n] = malloc(i - start + 1);
        if (!values[n]) abort();
        memcpy(values[n], data + start, i - start);
        values[n][i - start] = '\0';
        n++;
        start = i + 1;
    }
    netaddr peer, other;
    netaddr_parse("10.1.2.3", 8, &peer);
    netaddr_parse("198.51.100.1", 12, &other);
    netaddr c = forwarded_client(&trusted, &peer, (const char *const *)values, n);
    if (c.family != AF_INET && c.family != AF_INET6) abort();
    /* An untrusted peer's header is never read. */
    netaddr d = forwarded_client(&trusted, &other, (const char *const *)values, n);
    if (memcmp(&d, &other, sizeof d) != 0) abort();
    char text[NETADDR_TEXT];
    netaddr_format(&c, text);
    netaddr back;
    if (netaddr_parse(text, strlen(text), &back) != 0 || memcmp(&back, &c, sizeof c) != 0) abort();
    for (size_t i = 0; i < n; i++)
        free(values[i]);
    return 0;
}
