/* filetype.h - what kind of file an upload is, judged by its bytes.
 *
 * A browser's declared type is whatever the sender chose, so a page that
 * keeps files a customer later downloads decides by the content alone: the
 * magic bytes of PDF, PNG and JPEG; a ZIP whose central directory holds
 * "[Content_Types].xml" and the part folder of Word (word/), Excel (xl/)
 * or PowerPoint (ppt/); or plain UTF-8 text without control characters that
 * does not start with markup ('<': HTML or XML would be a page in another
 * program's hands). Anything else is unknown.
 *
 * The name's extension must then promise the same kind, so a file never
 * reaches a recipient under a name that opens it in the wrong program.
 *
 * Pure functions: no allocation except filetype_clean_name (in the arena),
 * no globals, safe from any thread, total on any input (a fuzz target
 * checks that).
 */
#ifndef KP_FILETYPE_H
#define KP_FILETYPE_H

#include <stddef.h>

#include "core/arena.h"

typedef enum filetype_kind {
    FT_UNKNOWN = 0,
    FT_PDF,
    FT_PNG,
    FT_JPEG,
    FT_TEXT,
    FT_DOCX,
    FT_XLSX,
    FT_PPTX,
} filetype_kind;

/* The kind the bytes are. */
filetype_kind filetype_sniff(const void *data, size_t len);

/* The kind the name's extension promises (case ignored): .pdf, .png,
 * .jpg/.jpeg, .txt/.csv, .docx, .xlsx, .pptx; FT_UNKNOWN otherwise. */
filetype_kind filetype_of_name(const char *name);

/* The content type to store and answer with, for a file of kind k named
 * name (.csv is text/csv, other text text/plain, both UTF-8). NULL for
 * FT_UNKNOWN. Static storage. */
const char *filetype_content_type(filetype_kind k, const char *name);

/* A Dutch name of the kind for messages: "PDF-bestand", "Word-document". */
const char *filetype_label(filetype_kind k);

/* The name as sent, fit to store, show and put in a header: only what
 * follows the last '/' or '\', invalid UTF-8 and control characters (C0,
 * DEL, C1) and bidirectional overrides left out, leading dots and spaces
 * and trailing spaces removed, at most FILETYPE_NAME_MAX bytes (cut on a
 * character boundary, the extension kept). "bijlage" when nothing is
 * left. In arena a. */
#define FILETYPE_NAME_MAX 120
char *filetype_clean_name(arena *a, const char *name);

#endif
