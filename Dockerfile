# syntax=docker/dockerfile:1
#
# One image holding Freshet's four executables (collector, shipper, enricher, loader); docker-compose.yml
# picks the executable per service with `command:`. See docs/deployment.md.
#
#   docker build -t freshet:dev .
#   docker run --rm freshet:dev collector --help
#
# Build stage: the official Swift image (Ubuntu 24.04 "noble") with the C libraries' -dev packages.
# Runtime stage: plain Ubuntu 24.04, whose librdkafka (2.3.0) is >= 2.2 — the services refuse an older
# runtime — with only the shared libraries the binaries load: the distro packages that own them
# (librdkafka1, libhiredis, libcurl, zlib and their own dependencies) and the Swift runtime libraries,
# copied once for the four executables. (Linking the Swift runtime statically with
# --static-swift-stdlib works with Foundation, but puts ~70 MB of Foundation/ICU into each of the four
# binaries; one shared copy is smaller.)

ARG SWIFT_VERSION=6.3.1
ARG UBUNTU_CODENAME=noble

# ---------------------------------------------------------------------------------------------------
FROM swift:${SWIFT_VERSION}-${UBUNTU_CODENAME} AS build

RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends \
        librdkafka-dev libhiredis-dev libcurl4-openssl-dev zlib1g-dev libjemalloc-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
# Resolve dependencies first so that a source change does not fetch them again (a Package.resolved,
# when the build context has one, pins them).
COPY Package.* ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests

ARG PRODUCTS="collector shipper enricher loader"
RUN for product in ${PRODUCTS}; do swift build -c release --product "$product" || exit 1; done

# Stage the executables, the Swift runtime libraries they load, and the list of Ubuntu packages owning
# every other library they load (deploy/docker/stage-runtime.sh; fails on a library it cannot find).
COPY deploy/docker/stage-runtime.sh /usr/local/bin/
RUN stage-runtime.sh "$(swift build -c release --show-bin-path)" /staging /usr/lib/swift ${PRODUCTS}

# ---------------------------------------------------------------------------------------------------
FROM ubuntu:${UBUNTU_CODENAME} AS runtime

COPY --from=build /staging/packages /tmp/freshet-runtime-packages
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && xargs -a /tmp/freshet-runtime-packages apt-get -q install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* /tmp/freshet-runtime-packages
# A base whose librdkafka is older than 2.2 fails here rather than at the first start.
COPY deploy/docker/check-librdkafka.sh /usr/local/bin/
RUN check-librdkafka.sh 2.2

COPY --from=build /staging/swift/ /usr/lib/swift/linux/
COPY --from=build /staging/bin/ /usr/local/bin/
COPY deploy/freshet-health /usr/local/bin/freshet-health

# Non-root user; the data directories exist in the image so that named volumes mounted on them start
# out owned by it.
RUN groupadd --system --gid 10001 freshet \
    && useradd --system --uid 10001 --gid freshet --home-dir /var/lib/freshet --shell /usr/sbin/nologin freshet \
    && mkdir -p /var/lib/freshet/collector /var/lib/freshet/shipper /var/lib/freshet/enrichments /etc/freshet/enrichments \
    && chown -R freshet:freshet /var/lib/freshet \
    && echo /usr/lib/swift/linux > /etc/ld.so.conf.d/swift.conf && ldconfig \
    && for service in collector shipper enricher loader; do "$service" --version >/dev/null || exit 1; done

ENV SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/usr/local/bin/swift-backtrace-static
USER freshet:freshet
WORKDIR /var/lib/freshet
# Admin ports (/health, /ready, /metrics) of collector, shipper, enricher, loader; the collector's
# tracking endpoint.
EXPOSE 8080 9100 9101 9102 9103
# Probes the admin port of whichever service runs as PID 1 (FRESHET_ADMIN_PORT or its default).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["/usr/local/bin/freshet-health"]
CMD ["collector"]
