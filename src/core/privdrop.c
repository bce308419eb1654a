/* privdrop.c - see privdrop.h */
#include "core/privdrop.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int is_root(void)
{
    return geteuid() == 0;
}

int priv_require_user(const char *user, char *err, size_t errlen)
{
    if (!is_root() || (user && *user)) return 0;
    snprintf(err, errlen,
             "draait als root; zet KLANTPORTAL_USER op een gebruiker zonder rechten "
             "(bijvoorbeeld klantportal)");
    return -1;
}

static const struct passwd *lookup(const char *user, char *err, size_t errlen)
{
    const struct passwd *pw = (user && *user) ? getpwnam(user) : NULL;
    if (!pw) snprintf(err, errlen, "KLANTPORTAL_USER '%s' bestaat niet", user ? user : "");
    return pw;
}

/* Only an empty folder is surely meant for the program alone; one with
 * content (/var/lib, /tmp, a home folder) must never change hands. */
/* Opens a folder without following a symbolic link anywhere in its path,
 * one component at a time: a folder the service user can write in (var/)
 * must not be able to point root's chown at /usr/local/sbin. -1 (errno
 * ELOOP or ENOTDIR among others) when that is not possible. */
static int open_dir_nofollow(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open(buf[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char *save = NULL;
    for (char *part = strtok_r(buf, "/", &save); part && fd >= 0;
         part = strtok_r(NULL, "/", &save)) {
        if (strcmp(part, ".") == 0) continue;
        int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int saved = errno;
        close(fd);
        errno = saved;
        fd = next;
    }
    return fd;
}

/* Is the folder open as fd empty? */
static int dir_is_empty(int fd)
{
    int copy = dup(fd);
    DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
    if (!d) {
        if (copy >= 0) close(copy);
        return 0;
    }
    const struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = 0;
    closedir(d);
    return empty;
}

/* Asks the question as the user itself, in a child that switches for good:
 * permission bits alone miss ACLs, groups and the folders above. */
static int user_can(const struct passwd *pw, const char *path, int how)
{
    pid_t pid = fork();
    if (pid < 0) return 0;
    if (pid == 0) {
        int ok = initgroups(pw->pw_name, pw->pw_gid) == 0 && setgid(pw->pw_gid) == 0 &&
                 setuid(pw->pw_uid) == 0 && access(path, how) == 0;
        _exit(ok ? 0 : 1);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return 0;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int priv_own_dir(const char *user, const char *dir, char *err, size_t errlen)
{
    if (!is_root()) return 0;
    const struct passwd *pw = lookup(user, err, errlen);
    if (!pw) return -1;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) return 0; /* no parent: the open says why */
    /* Only a root-owned empty folder (made just now, or left empty) is
     * handed over, through a descriptor reached without any symlink; a
     * folder behind a symlink is left as it is and must already be the
     * user's (checked below). */
    int fd = open_dir_nofollow(dir);
    struct stat st;
    int hand_over = fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == 0 && dir_is_empty(fd);
    if (hand_over && (fchown(fd, pw->pw_uid, pw->pw_gid) != 0 || fchmod(fd, 0700) != 0)) {
        snprintf(err, errlen, "kan map %s niet aan gebruiker '%s' geven: %s", dir, user,
                 strerror(errno));
        close(fd);
        return -1;
    }
    if (fd >= 0) close(fd);
    if (!user_can(pw, dir, W_OK | X_OK)) {
        snprintf(err, errlen,
                 "gebruiker '%s' kan niet schrijven in map %s; geef de map aan die gebruiker "
                 "(chown %s %s)",
                 user, dir, user, dir);
        return -1;
    }
    return 0;
}

int priv_user_can_read(const char *user, const char *dir, char *err, size_t errlen)
{
    if (!is_root()) return 0;
    const struct passwd *pw = lookup(user, err, errlen);
    if (!pw) return -1;
    if (user_can(pw, dir, R_OK | X_OK)) return 0;
    snprintf(err, errlen,
             "gebruiker '%s' kan map %s niet lezen; zet de programmabestanden op een plek die "
             "iedereen kan lezen, of wijs ze aan met KLANTPORTAL_DATA_DIR",
             user, dir);
    return -1;
}

int priv_own_file(const char *user, const char *path, int create, char *err, size_t errlen)
{
    if (!is_root()) return 0;
    const struct passwd *pw = lookup(user, err, errlen);
    if (!pw) return -1;
    struct stat st;
    int fd = -1;
    int found = lstat(path, &st) == 0;
    if (found && S_ISREG(st.st_mode))
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    else if (!found && errno == ENOENT && create)
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return 0; /* missing, a symlink or a folder: the open that follows judges it */
    int rc = 0;
    /* A second hard link could be any file on the system, not ours to give. */
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
        (st.st_uid != pw->pw_uid || st.st_gid != pw->pw_gid) &&
        fchown(fd, pw->pw_uid, pw->pw_gid) != 0) {
        snprintf(err, errlen, "kan %s niet aan gebruiker '%s' geven: %s", path, user,
                 strerror(errno));
        rc = -1;
    }
    close(fd);
    return rc;
}

int priv_drop(const char *user, char *err, size_t errlen)
{
    if (!is_root()) return 0;
    const struct passwd *pw = lookup(user, err, errlen);
    if (!pw) return -1;
    if (pw->pw_uid == 0) {
        snprintf(err, errlen, "KLANTPORTAL_USER '%s' is root; kies een gebruiker zonder rechten",
                 user);
        return -1;
    }
    if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
        setuid(pw->pw_uid) != 0 || setuid(0) == 0) {
        snprintf(err, errlen, "kan niet overschakelen naar gebruiker '%s'", user);
        return -1;
    }
    return 0;
}

static int addr_is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a)) return 1;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return 0;
}

int priv_is_loopback(const char *host)
{
    if (!host || !*host) return 0;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res) return 0;
    int all = 1;
    for (const struct addrinfo *r = res; r && all; r = r->ai_next)
        all = addr_is_loopback(r->ai_addr);
    freeaddrinfo(res);
    return all;
}
