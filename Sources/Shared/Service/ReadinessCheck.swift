/// One dependency a service needs before it can do its work (Kafka reachable, Redis answering, the log
/// directory writable, …). `/ready` runs every check of the service and answers 200 only when all pass.
public struct ReadinessCheck: Sendable {
    /// Short name shown in the `/ready` body, e.g. `kafka`.
    public let name: String
    /// Throws (any error; its description is shown) when the dependency is not usable right now.
    /// Must finish quickly: `/ready` gives every check a deadline.
    public let check: @Sendable () async throws -> Void

    public init(_ name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }

    /// The outcome of one check, as shown by `/ready`.
    public struct Outcome: Sendable, Equatable {
        public var name: String
        /// `nil` when the check passed, else why it failed.
        public var failure: String?
    }

    /// Runs all checks concurrently, each bounded by `timeout`, in the order given.
    public static func run(_ checks: [ReadinessCheck], timeout: Duration = .seconds(2)) async -> [Outcome] {
        await withTaskGroup(of: (Int, Outcome).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask {
                    let failure = await withTaskGroup(of: String?.self) { race in
                        race.addTask {
                            do { try await check.check(); return nil } catch { return String(describing: error) }
                        }
                        race.addTask {
                            try? await Task.sleep(for: timeout)
                            return "no answer within \(timeout)"
                        }
                        let first = await race.next()!
                        race.cancelAll()
                        return first
                    }
                    return (index, Outcome(name: check.name, failure: failure))
                }
            }
            var outcomes = [Outcome?](repeating: nil, count: checks.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.compactMap { $0 }
        }
    }
}
