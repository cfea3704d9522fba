#include "CJemalloc.h"

// jemalloc reads this symbol at its first allocation, before `main` (the executable's definition takes
// precedence over the library's default), then `MALLOC_CONF`, whose settings win. Why these values:
// `Allocator` in Sources/Enricher/Service/Allocator.swift and docs/enricher.md ("Allocator").
//   narenas:2          two arenas for two cores (jemalloc's default is four per core), each keeping its
//                      own dirty pages: less resident memory for the same speed
//   dirty_decay_ms:500 freed pages go back to the system within about half a second (default 10 s)
//   muzzy_decay_ms:0   and are released at once when decayed rather than kept lazily
const char *malloc_conf = "narenas:2,dirty_decay_ms:500,muzzy_decay_ms:0";
