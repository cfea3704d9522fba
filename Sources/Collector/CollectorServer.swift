#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Shared

/// The tracking endpoint: a SwiftNIO HTTP/1.1 server with one event loop per worker thread, each loop
/// appending to its own log file through its own ``CollectorLogSink``.
///
/// Graceful shutdown: stop accepting, let every connection finish the request it is serving (idle ones
/// close at once), flush and sync the log files, then stop the threads.
final class CollectorServer: Service, Sendable {
    private let configuration: CollectorConfiguration
    private let logger: Logger
    private let metrics = CollectorMetrics()
    private let onListening: @Sendable (Int) -> Void

    init(configuration: CollectorConfiguration, logger: Logger, onListening: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.configuration = configuration
        self.logger = logger
        self.onListening = onListening
    }

    /// `/ready`: the log directory exists and is writable.
    var readinessCheck: ReadinessCheck {
        let directory = configuration.logDirectory
        return ReadinessCheck("log-directory") {
            guard access(directory, W_OK) == 0 else {
                throw FreshetError(.io, "the log directory \(directory) is not writable: \(String(cString: strerror(errno)))")
            }
        }
    }

    func run() async throws {
        try Self.createDirectory(configuration.logDirectory)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.workerThreads)
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        do {
            try await serve(group: group, threadPool: threadPool)
        } catch {
            try? await group.shutdownGracefully()
            try? await threadPool.shutdownGracefully()
            throw error
        }
        try? await group.shutdownGracefully()
        try? await threadPool.shutdownGracefully()
    }

    private func serve(group: MultiThreadedEventLoopGroup, threadPool: NIOThreadPool) async throws {

        // One sink per event loop, created on (and confined to) its loop.
        var sinks: [ObjectIdentifier: NIOLoopBound<CollectorLogSink>] = [:]
        for (index, loop) in group.makeIterator().enumerated() {
            let writerConfiguration = RotatingLogWriter.Configuration(
                directory: configuration.logDirectory, stem: "\(configuration.logStem)-w\(index)",
                maxFileBytes: configuration.maxFileBytes, maxFileAge: configuration.maxFileAge)
            let (fsync, metrics, logger) = (configuration.fsync, metrics, logger)
            let sink = try await loop.submit {
                let writer = try RotatingLogWriter(configuration: writerConfiguration) { finished in
                    logger.info("rotated log file", metadata: ["component": "logfile", "file": "\(finished)"])
                }
                let sink = CollectorLogSink(eventLoop: loop, writer: writer, fsync: fsync, threadPool: threadPool, metrics: metrics)
                sink.start()
                return NIOLoopBound(sink, eventLoop: loop)
            }.get()
            sinks[ObjectIdentifier(loop)] = sink
        }
        let sinksByLoop = sinks
        let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let (configuration, metrics, logger) = (configuration, metrics, logger)

        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                let admitted = connections.withLockedValue { open -> Bool in
                    guard open.count < configuration.maxConnections else { return false }
                    open[ObjectIdentifier(channel)] = channel
                    return true
                }
                guard admitted else {
                    logger.warning("too many connections: closing a new one", metadata: ["component": "http", "limit": "\(configuration.maxConnections)"])
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in
                    _ = connections.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
                }
                let sink = sinksByLoop[ObjectIdentifier(channel.eventLoop)]!.value
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    let slowClientGuard = SlowClientGuard(
                        headerTimeout: Self.timeAmount(configuration.headerTimeout), idleTimeout: Self.timeAmount(configuration.idleTimeout)
                    ) { metrics.bytesReceived.increment(by: $0) }
                    try sync.addHandler(slowClientGuard)
                    try sync.addHandler(CollectorRequestHandler(configuration: configuration, sink: sink, metrics: metrics, slowClientGuard: slowClientGuard))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()

        let port = server.localAddress?.port ?? configuration.port
        logger.info("tracking endpoint listening", metadata: [
            "component": "http", "address": "\(configuration.host):\(port)", "workers": "\(configuration.workerThreads)",
            "log_directory": "\(configuration.logDirectory)", "fsync": "\(configuration.fsync)",
        ])
        onListening(port)

        await withGracefulShutdownHandler {
            try? await server.closeFuture.get()
        } onGracefulShutdown: {
            logger.info("shutting down: no new connections; finishing requests in flight", metadata: ["component": "http"])
            server.close(promise: nil)
        }

        // Let every connection finish the request it serves; idle ones close now (bounded wait).
        let open = connections.withLockedValue { Array($0.values) }
        for channel in open { channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
        let forceClose = Task {
            try await Task.sleep(for: .seconds(10))
            for channel in open { channel.close(promise: nil) }
        }
        for channel in open { _ = try? await channel.closeFuture.get() }
        forceClose.cancel()
        // Flush what is pending and sync every file before the threads stop.
        for (_, sink) in sinksByLoop {
            try? await sink.eventLoop.submit { sink.value.close() }.get()
        }
        logger.info("log files flushed and synced", metadata: ["component": "logfile"])
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    private static func createDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw FreshetError(.io, "cannot create the log directory \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
