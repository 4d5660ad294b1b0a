#ifndef CCRYPT_SHIM_H
#define CCRYPT_SHIM_H
/* libxcrypt (Debian's libcrypt1): crypt_r verifies bcrypt $2a$, $2b$ and $2y$ hashes. */
#include <crypt.h>
#endif
