/* qrsvg.c - see qrsvg.h */
#include "core/qrsvg.h"

#include <qrencode.h>

#include "core/buf.h"

#define QUIET 4

char *qr_svg(arena *a, const char *text, const char *label, int size)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return NULL;
    int w = q->width, full = w + 2 * QUIET;
    buf b;
    buf_init(&b, a, 1024 + (size_t)w * (size_t)w * 6);
    buf_puts(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"");
    buf_html_str(&b, label);
    buf_printf(&b,
               "\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
               "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
               size, size, full, full, full, full);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            /* bit 0 of each module: dark */
            if (q->data[y * w + x] & 1) buf_printf(&b, "M%d %dh1v1h-1z", x + QUIET, y + QUIET);
    buf_puts(&b, "\"/></svg>");
    QRcode_free(q);
    return b.data;
}
