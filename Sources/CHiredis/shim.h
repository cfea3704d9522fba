#ifndef FRESHET_CHIREDIS_SHIM_H
#define FRESHET_CHIREDIS_SHIM_H
// hiredis 0.14, as seen by the Swift Redis wrapper in Sources/Shared/Redis. Nothing else imports it.
// The variadic redisCommand is not callable from Swift: the wrapper uses the *Argv functions.
#include <hiredis/hiredis.h>
#endif
