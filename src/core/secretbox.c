/* secretbox.c - see secretbox.h */
#include "core/secretbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define B64 sodium_base64_VARIANT_ORIGINAL

static int read_all(int fd, unsigned char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        got += (size_t)r;
    }
    return 0;
}

/* Checks and reads an existing key file. 0, -1 with a reason, or 1 when
 * the file is not there. */
static int read_key(const char *path, secret_key *out, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) return 1;
    if (fd < 0) {
        snprintf(err, errlen, "sleutelbestand %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    const char *why = NULL;
    if (fstat(fd, &st) != 0)
        why = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = "geen gewoon bestand";
    else if ((st.st_mode & 07777) != 0600)
        why = "rechten moeten 0600 zijn (chmod 600)";
    else if (st.st_size != SECRET_KEY_BYTES)
        why = "moet precies 32 bytes zijn";
    else if (read_all(fd, out->bytes, sizeof out->bytes) != 0)
        why = "niet te lezen";
    close(fd);
    if (why) {
        snprintf(err, errlen, "sleutelbestand %s: %s", path, why);
        sodium_memzero(out, sizeof *out);
        return -1;
    }
    return 0;
}

static void parent_dir(const char *path, char *dir, size_t dirlen)
{
    snprintf(dir, dirlen, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, dirlen, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
}

/* A new key: written to a temp file in the same folder and linked to its
 * name, which fails when another process was first (then its key is used). */
static int create_key(const char *path, char *err, size_t errlen)
{
    /* mkstemp's template: six placeholder characters it replaces */
    static const char unique[] = {'X', 'X', 'X', 'X', 'X', 'X', '\0'};
    char dir[PATH_MAX], tmp[PATH_MAX + 32];
    parent_dir(path, dir, sizeof dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "map %s voor de sleutel: %s", dir, strerror(errno));
        return -1;
    }
    snprintf(tmp, sizeof tmp, "%s/.klantportal.key.%s", dir, unique);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "sleutelbestand maken in %s: %s", dir, strerror(errno));
        return -1;
    }
    unsigned char key[SECRET_KEY_BYTES];
    randombytes_buf(key, sizeof key);
    int ok = fchmod(fd, 0600) == 0 && write(fd, key, sizeof key) == (ssize_t)sizeof key &&
             fsync(fd) == 0;
    sodium_memzero(key, sizeof key);
    ok = close(fd) == 0 && ok;
    if (ok && link(tmp, path) != 0 && errno != EEXIST) ok = 0;
    int saved = errno;
    unlink(tmp);
    if (!ok) {
        snprintf(err, errlen, "sleutelbestand %s maken: %s", path, strerror(saved));
        return -1;
    }
    return 0;
}

int secret_key_load(const char *path, secret_key *out, char *err, size_t errlen)
{
    int rc = read_key(path, out, err, errlen);
    if (rc != 1) return rc;
    if (create_key(path, err, errlen) != 0) return -1;
    rc = read_key(path, out, err, errlen);
    if (rc == 1) snprintf(err, errlen, "sleutelbestand %s verdween", path);
    return rc == 0 ? 0 : -1;
}

char *secret_seal(arena *a, const secret_key *k, const char *plain)
{
    if (!plain) return NULL;
    size_t n = strlen(plain);
    size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *box = arena_alloc(a, blen);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, box,
                          k->bytes);
    size_t tlen = sodium_base64_ENCODED_LEN(blen, B64);
    char *out = arena_alloc(a, tlen);
    sodium_bin2base64(out, tlen, box, blen, B64);
    return out;
}

char *secret_open(arena *a, const secret_key *k, const char *sealed)
{
    if (!sealed) return NULL;
    size_t tlen = strlen(sealed);
    unsigned char *box = arena_alloc(a, tlen + 1);
    size_t blen = 0;
    if (sodium_base642bin(box, tlen + 1, sealed, tlen, NULL, &blen, NULL, B64) != 0 ||
        blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return NULL;
    size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    char *plain = arena_alloc(a, n + 1);
    if (crypto_secretbox_open_easy((unsigned char *)plain, box + crypto_secretbox_NONCEBYTES,
                                   blen - crypto_secretbox_NONCEBYTES, box, k->bytes) != 0)
        return NULL;
    plain[n] = '\0';
    /* a secret is text: one with a NUL inside was not made by secret_seal */
    return strlen(plain) == n ? plain : NULL;
}
