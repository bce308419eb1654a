/* log.h - one line per event on stderr, with a UTC timestamp. Thread-safe
 * (one write(2) per line). Never pass secrets: passwords, tokens, query
 * strings of token pages. */
#ifndef KP_LOG_H
#define KP_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_set_quiet(int quiet); /* suppress info lines (tests, benchmarks) */

#endif
