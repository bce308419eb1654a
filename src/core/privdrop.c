/* privdrop.c - see privdrop.h */
#include "core/privdrop.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

int priv_is_loopback(const char *host)
{
    return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
           strcmp(host, "localhost") == 0;
}

int priv_check(const char *listen, const char *user, char *err, size_t errlen)
{
    char host[256];
    int port;
    if (geteuid() != 0 || (user && *user)) return 0;
    if (config_split_listen(listen, host, sizeof host, &port) == 0 && priv_is_loopback(host))
        return 0;
    snprintf(err, errlen,
             "weigert als root op %s te draaien; zet KLANTPORTAL_USER op een gebruiker zonder "
             "rechten",
             listen);
    return -1;
}

int priv_drop(const char *user, char *err, size_t errlen)
{
    if (geteuid() != 0 || !user || !*user) return 0;
    struct passwd *pw = getpwnam(user);
    if (!pw) {
        snprintf(err, errlen, "KLANTPORTAL_USER '%s' bestaat niet", user);
        return -1;
    }
    if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
        setuid(pw->pw_uid) != 0 || setuid(0) == 0) {
        snprintf(err, errlen, "kan niet overschakelen naar gebruiker '%s'", user);
        return -1;
    }
    return 0;
}
