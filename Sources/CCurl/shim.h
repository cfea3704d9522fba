#ifndef FRESHET_CCURL_SHIM_H
#define FRESHET_CCURL_SHIM_H
// libcurl, as seen by the Swift ClickHouse client in Sources/Shared/ClickHouse. Nothing else imports it.
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: these typed
// wrappers are the only way the Swift side sets options or reads results.
#include <curl/curl.h>

typedef size_t (*freshet_curl_data_callback)(char *data, size_t size, size_t nmemb, void *userdata);

static inline CURLcode freshet_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode freshet_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode freshet_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode freshet_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode freshet_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode freshet_curl_setopt_callback(CURL *handle, CURLoption option, freshet_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode freshet_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode freshet_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}
#endif
