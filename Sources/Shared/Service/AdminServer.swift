import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The admin HTTP endpoints every Freshet service serves on its own port:
/// - `GET /health`: 200 `ok` while the process runs (liveness);
/// - `GET /ready`: 200 when every ``ReadinessCheck`` passes, else 503; the body lists each check;
/// - `GET /metrics`: the Prometheus text exposition of the process's metrics.
///
/// It is a `Service`: run it in the service's `ServiceGroup`, placed first so that it is shut down
/// last and `/health` answers while the other services drain.
public struct AdminServer: Service {
    /// Where to listen.
    public struct Configuration: Sendable {
        /// Default: `0.0.0.0`.
        public var host: String
        /// `0` picks a free port. Default: the service's own port.
        public var port: Int
        public init(host: String = "0.0.0.0", port: Int) {
            self.host = host
            self.port = port
        }
    }

    private let configuration: Configuration
    private let service: String
    private let checks: [ReadinessCheck]
    private let logger: Logger
    private let onListening: @Sendable (Int) -> Void

    /// - Parameters:
    ///   - service: the service's name, shown by `/health`.
    ///   - checks: the dependencies `/ready` checks.
    ///   - onListening: called once with the bound port (useful with port `0`).
    public init(
        configuration: Configuration, service: String, checks: [ReadinessCheck], logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.service = service
        self.checks = checks
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? configuration.port
        logger.info("admin endpoints listening", metadata: [
            "component": "admin", "address": "\(configuration.host):\(port)", "paths": "/health /ready /metrics",
        ])
        onListening(port)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var request: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let head): request = head
                    case .body: continue
                    case .end:
                        guard let head = request else { continue }
                        let (status, contentType, body) = await respond(to: head)
                        var headers = HTTPHeaders()
                        headers.add(name: "Content-Type", value: contentType)
                        headers.add(name: "Content-Length", value: String(body.count))
                        headers.add(name: "Cache-Control", value: "no-store")
                        if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
                        try await outbound.write(.head(HTTPResponseHead(version: head.version, status: status, headers: headers)))
                        if head.method != .HEAD {
                            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                        }
                        try await outbound.write(.end(nil))
                        if !head.isKeepAlive { return }
                        request = nil
                    }
                }
            }
        } catch {
            logger.debug("admin connection ended with an error", metadata: ["component": "admin", "error.message": "\(error)"])
        }
    }

    func respond(to head: HTTPRequestHead) async -> (HTTPResponseStatus, String, [UInt8]) {
        guard head.method == .GET || head.method == .HEAD else {
            return (.methodNotAllowed, "text/plain; charset=utf-8", Array("method not allowed\n".utf8))
        }
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        switch path {
        case "/health":
            return (.ok, "text/plain; charset=utf-8", Array("ok\n".utf8))
        case "/ready":
            let outcomes = await ReadinessCheck.run(checks)
            let ready = outcomes.allSatisfy { $0.failure == nil }
            var body = ready ? "ready\n" : "not ready\n"
            for outcome in outcomes {
                body += "\(outcome.name): \(outcome.failure.map { "FAIL \($0)" } ?? "ok")\n"
            }
            return (ready ? .ok : .serviceUnavailable, "text/plain; charset=utf-8", Array(body.utf8))
        case "/metrics":
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", MetricsRegistry.exposition())
        default:
            return (.notFound, "text/plain; charset=utf-8", Array("not found: \(service) serves /health, /ready and /metrics here\n".utf8))
        }
    }
}
