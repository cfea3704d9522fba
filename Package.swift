// swift-tools-version: 6.1
// Freshet: a self-hosted, Snowplow-compatible web-analytics pipeline.
import PackageDescription

/// Per-request code (collector, codecs) is measured against nginx: dynamic exclusivity checks cost
/// several percent there, and the compiler's static checks still apply. Cross-module optimisation lets
/// the services inline and specialise `Shared`'s event model, codecs and parsers (enricher, offline:
/// ~3 % less CPU per event, same output; docs/enricher.md "Session 5").
let hotPathSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked", "-cross-module-optimization"], .when(configuration: .release))
]

let package = Package(
    name: "Freshet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "collector", targets: ["Collector"]),
        .executable(name: "shipper", targets: ["Shipper"]),
        .executable(name: "enricher", targets: ["Enricher"]),
        .executable(name: "loader", targets: ["Loader"]),
        .library(name: "Shared", targets: ["Shared"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // C libraries: one tiny system-library target each; only the Swift wrappers in Shared import them.
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The enricher's allocator (see Sources/Enricher/Service/Allocator.swift): a C target rather than a
        // system library because it also defines jemalloc's `malloc_conf` (options.c).
        .target(name: "CJemalloc", linkerSettings: [.linkedLibrary("jemalloc")]),

        .target(
            name: "Shared",
            dependencies: [
                "CRdKafka", "CHiredis", "CCurl", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: hotPathSettings
        ),
        .executableTarget(
            name: "Collector",
            dependencies: [
                "Shared",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: hotPathSettings
        ),
        .executableTarget(name: "Shipper", dependencies: ["Shared"]),
        .executableTarget(
            name: "Enricher",
            dependencies: [
                "Shared", "CJemalloc",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: hotPathSettings
        ),
        .executableTarget(
            name: "Loader",
            dependencies: [
                "Shared",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: hotPathSettings
        ),

        // Tier 1 and 2: no network (model, codecs, C wrappers without a server).
        // Helpers both test tiers share: repository paths, the Python oracles, the local stack's addresses.
        .target(name: "FreshetTestSupport", path: "Tests/Support"),
        .testTarget(name: "SharedTests", dependencies: ["Shared", "FreshetTestSupport"]),
        .testTarget(name: "CollectorTests", dependencies: ["Collector", "Shared", "FreshetTestSupport"]),
        .testTarget(name: "ShipperTests", dependencies: ["Shipper", "Shared", "FreshetTestSupport"]),
        .testTarget(name: "EnricherTests", dependencies: ["Enricher", "Shared", "FreshetTestSupport"]),
        .testTarget(name: "LoaderTests", dependencies: ["Loader", "Shared", "FreshetTestSupport"]),
        // Tier 3: against the real local Kafka, Redis and ClickHouse started by `make stack-up`.
        .testTarget(name: "IntegrationTests", dependencies: ["Shared", "Enricher", "FreshetTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
