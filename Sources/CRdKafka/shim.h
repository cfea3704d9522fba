#ifndef FRESHET_CRDKAFKA_SHIM_H
#define FRESHET_CRDKAFKA_SHIM_H
// librdkafka, as seen by the Swift Kafka wrapper in Sources/Shared/Kafka. Nothing else imports it.
#include <librdkafka/rdkafka.h>
#endif
