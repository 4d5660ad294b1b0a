#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>
/* deflateInit2 is a macro; Swift cannot call it. windowBits 31 = gzip wrapper. */
static inline int czlib_deflate_init_gzip(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
/* inflateInit2 is a macro too. windowBits 31 = accept only the gzip wrapper. */
static inline int czlib_inflate_init_gzip(z_streamp strm) {
    return inflateInit2(strm, 15 + 16);
}
/* windowBits -15 = raw deflate: blocks of a gzip member compressed on their own (as pigz does). */
static inline int czlib_deflate_init_raw(z_streamp strm, int level, int memLevel) {
    return deflateInit2(strm, level, Z_DEFLATED, -15, memLevel, Z_DEFAULT_STRATEGY);
}
#endif
