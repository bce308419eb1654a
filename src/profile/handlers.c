/* handlers.c - Mijn gegevens / Persoonlijke gegevens: the routes of its
 * three pages (data.c, email.c, password.c), which share reauth.c. */
#include "profile/internal.h"
#include "profile/profile.h"

void profile_routes(router *r)
{
    profile_data_routes(r);
    profile_email_routes(r);
    profile_password_routes(r);
}
