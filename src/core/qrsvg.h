/* qrsvg.h - a QR code as inline SVG, made on the server with libqrencode:
 * no image service ever sees the text (a TOTP key is a secret).
 *
 * Thread-safe (libqrencode is built thread-safe on Debian); the markup
 * lives in the caller's arena. */
#ifndef KP_QRSVG_H
#define KP_QRSVG_H

#include "core/arena.h"

/* An <svg> element (role img, the given accessible name, dark modules as
 * one path, a white quiet zone of four modules, `size` pixels square) for
 * text at error correction level M; NULL when the text does not fit or on
 * a library failure. The label is escaped here; text never appears in the
 * markup. */
char *qr_svg(arena *a, const char *text, const char *label, int size);

#endif
