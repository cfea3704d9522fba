#ifndef FRESHET_CJEMALLOC_H
#define FRESHET_CJEMALLOC_H
// jemalloc (Debian/Ubuntu `libjemalloc-dev`), the enricher's allocator. Linking it replaces malloc and
// free for the whole process (Swift's runtime and librdkafka included); only `Allocator` (Swift) reads
// its settings and statistics through `mallctl`.
#include <jemalloc/jemalloc.h>
// `options.c` defines jemalloc's `malloc_conf`: the options compiled into the executable
// (`MALLOC_CONF` in the environment wins).
#endif
