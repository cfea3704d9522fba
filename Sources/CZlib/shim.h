#ifndef FRESHET_CZLIB_SHIM_H
#define FRESHET_CZLIB_SHIM_H

#include <zlib.h>

/// `inflateInit2` is a macro (it passes the library version and struct size); Swift cannot call macros.
static inline int freshet_inflate_init2(z_stream *stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

#endif
