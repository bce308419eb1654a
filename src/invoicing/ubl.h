/* ubl.h - the text rule of the e-invoice (render.h's inv_ubl), open for its
 * tests: what goes between the tags.
 *
 * Pure and stateless; safe from any thread.
 */
#ifndef KP_INVOICING_UBL_H
#define KP_INVOICING_UBL_H

#include <stddef.h>

#include "core/buf.h"

/* Appends the n bytes of s as XML 1.0 character data: & < > " ' as
 * entities, every byte that is not part of well-formed UTF-8 as U+FFFD,
 * and the characters XML 1.0 forbids (control characters other than tab,
 * line feed and carriage return, U+FFFE, U+FFFF) left out. Whatever s
 * holds, what is appended is valid UTF-8 and legal in an element or an
 * attribute value. */
void inv_xml_text(buf *b, const char *s, size_t n);

#endif
