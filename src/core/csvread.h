/* csvread.h - reads a CSV file as spreadsheets write it (the other half of
 * csv.h): RFC 4180 fields, quoted with '"' ('""' inside is one '"', line
 * breaks allowed inside quotes), records ended by CRLF, LF or CR.
 *
 * What Dutch offices send is read as it comes:
 *   - the separator is ';' (Dutch Excel) or ',', decided by the first
 *     line: whichever occurs more often outside quotes (';' on a tie);
 *   - UTF-8 with or without a byte order mark, or, when the bytes are not
 *     UTF-8, Windows-1252 (what Excel's plain "CSV" writes), converted to
 *     UTF-8; UTF-16 and bytes Windows-1252 does not define are refused;
 *   - a record whose fields are all empty (a blank line, ";;;") is left
 *     out, but still counts for the line numbers.
 *
 * Binary data (NUL or other control bytes besides TAB, CR and LF) is
 * refused as "not a CSV file". A quote that is never closed, or text right
 * after a closing quote, is refused with its line. Every refusal is one
 * Dutch sentence for the person who uploaded the file.
 *
 * Pure: everything lives in the caller's arena, nothing else is touched;
 * thread-safe. */
#ifndef KP_CSVREAD_H
#define KP_CSVREAD_H

#include <stddef.h>

#include "core/arena.h"

typedef struct csvr_limits {
    size_t max_bytes;  /* the file as uploaded */
    size_t max_rows;   /* records after the header, blank ones not counted */
    size_t max_fields; /* fields in one record */
    size_t max_field;  /* bytes in one field, as UTF-8 */
} csvr_limits;

typedef enum csvr_encoding {
    CSVR_UTF8,     /* UTF-8 without a byte order mark (or plain ASCII) */
    CSVR_UTF8_BOM, /* UTF-8 with one (Excel's "CSV UTF-8") */
    CSVR_CP1252,   /* Windows-1252, converted */
} csvr_encoding;

typedef struct csvr_record {
    int line;       /* the line of the file it starts on; the first is 1 */
    size_t n;       /* fields, at least 1 */
    const char **f; /* valid UTF-8, NUL-terminated, without NUL inside */
} csvr_record;

typedef struct csvr_table {
    csvr_encoding encoding;
    char sep;           /* ';' or ',' */
    csvr_record header; /* the first record that is not blank */
    csvr_record *rows;  /* the records after it, blank ones left out */
    size_t nrows;
} csvr_table;

/* Reads data[0..len). Returns NULL with *t filled, or a Dutch sentence
 * saying what is wrong (and on which line), *t then undefined. A file
 * without any record that is not blank is refused as empty. */
const char *csvr_read(arena *a, const char *data, size_t len, const csvr_limits *lim,
                      csvr_table *t);

/* The encoding as staff would call it: "UTF-8", "UTF-8 met BOM",
 * "Windows-1252". Static storage. */
const char *csvr_encoding_name(csvr_encoding e);

#endif
