/* slug.h - URL names of categories and courses ("agro-groen") and the
 * slug paths that address them under /aanbod. */
#ifndef KP_SLUG_H
#define KP_SLUG_H

#include "core/arena.h"

/* "Agro & Groen" -> "agro-groen"; accented Latin letters lose their accent
 * ("Café" -> "cafe"); never empty ("item" if nothing is left). */
char *slug_make(arena *a, const char *name);
/* Longest slug staff may choose. */
#define SLUG_MAX 80
/* One slug as staff may type it: lower-case letters and digits in groups
 * joined by single dashes ("agro-groen"), at most SLUG_MAX bytes. */
int slug_valid(const char *s);
/* "a/b-c/d": one or more segments of [a-z0-9-], at most 12 segments and
 * 400 bytes, no empty segment. */
int slug_path_valid(const char *path);
/* Splits "a/b/c" into parent "a/b" and last "c"; parent is "" for "c". */
void slug_path_split(arena *a, const char *path, char **parent, char **last);

#endif
