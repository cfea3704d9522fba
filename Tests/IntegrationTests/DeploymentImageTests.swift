import Foundation
import FreshetTestSupport
import Testing

/// The container image checked without a Docker engine: the Dockerfile's essentials, and the scripts it
/// runs (runtime staging, the librdkafka check, the health probe) run here against the local build.
@Suite struct DeploymentImageTests {
    /// The Dockerfile's instructions, continuation lines joined, comments dropped.
    static func instructions() throws -> [(keyword: String, arguments: String)] {
        let text = try Deployment.text("Dockerfile").replacingOccurrences(of: "\\\n", with: " ")
        return text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
            return (parts[0].uppercased(), parts.count > 1 ? parts[1] : "")
        }
    }

    @Test func dockerfileBuildsTheFourServicesAndRunsThemUnprivileged() throws {
        let instructions = try Self.instructions()
        let stages = instructions.filter { $0.keyword == "FROM" }.map(\.arguments)
        #expect(stages.count == 2)
        #expect(stages.first?.hasPrefix("swift:${SWIFT_VERSION}-${UBUNTU_CODENAME}") == true)
        #expect(stages.last?.hasPrefix("ubuntu:${UBUNTU_CODENAME}") == true)
        let arguments = Dictionary(
            instructions.filter { $0.keyword == "ARG" }.compactMap { instruction -> (String, String)? in
                let parts = instruction.arguments.split(separator: "=", maxSplits: 1).map(String.init)
                return parts.count == 2
                    ? (parts[0], parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))) : nil
            }, uniquingKeysWith: { first, _ in first })
        #expect(arguments["SWIFT_VERSION"]?.hasPrefix("6.") == true)
        // Ubuntu 24.04 ships librdkafka 2.3.0; the runtime stage checks >= 2.2 (check-librdkafka.sh).
        #expect(arguments["UBUNTU_CODENAME"] == "noble")
        #expect(
            Set(arguments["PRODUCTS"]?.split(separator: " ").map(String.init) ?? []) == [
                "collector", "shipper", "enricher", "loader",
            ])

        let runs = instructions.filter { $0.keyword == "RUN" }.map(\.arguments)
        for package in ["librdkafka-dev", "libhiredis-dev", "libcurl4-openssl-dev", "zlib1g-dev", "libjemalloc-dev"] {
            #expect(
                runs.contains { $0.contains("apt-get") && $0.contains(package) }, "the build stage installs \(package)")
        }
        #expect(runs.contains { $0.contains("swift build -c release --product") })
        #expect(runs.contains { $0.contains("check-librdkafka.sh 2.2") })

        // The last USER is not root; a HEALTHCHECK exists and uses the probe.
        let user = try #require(instructions.last { $0.keyword == "USER" }?.arguments)
        #expect(!user.hasPrefix("root") && !user.hasPrefix("0"))
        #expect(
            instructions.contains {
                $0.keyword == "HEALTHCHECK" && $0.arguments.contains("/usr/local/bin/freshet-health")
            })

        // Every file copied from the build context exists, and the context leaves out build products.
        for copy in instructions.filter({ $0.keyword == "COPY" && !$0.arguments.contains("--from=") }) {
            let sources = copy.arguments.split(separator: " ").filter { !$0.hasPrefix("--") }.dropLast()
            for source in sources where !source.contains("*") {
                #expect(
                    FileManager.default.fileExists(atPath: Deployment.root.appendingPathComponent(String(source)).path),
                    "COPY \(source)")
            }
        }
        let ignored = try Deployment.text(".dockerignore").split(separator: "\n").map(String.init)
        for path in [".build/", ".stack/", ".git/"] { #expect(ignored.contains(path), ".dockerignore lacks \(path)") }
    }

    @Test func stagingCollectsTheLibrariesTheExecutablesLoad() throws {
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent(
            TestEnvironment.uniqueName("staging")
        ).path
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let binaries = Deployment.root.appendingPathComponent(".build/debug").path
        // The toolchain's runtime directory, wherever this machine has it.
        let ldd = try ChildProcess.run("/usr/bin/ldd", [binaries + "/collector"]).stdoutText
        let swiftCore = try #require(ldd.firstMatch(of: /=> (\S+)\/linux\/libswiftCore\.so/)?.1)
        let output = try ChildProcess.run(
            "/bin/bash",
            [
                Deployment.root.appendingPathComponent("deploy/docker/stage-runtime.sh").path, binaries, staging,
                String(swiftCore), "collector", "shipper", "enricher", "loader",
            ])
        #expect(output.status == 0, "\(output.stderrText)")

        let packages = Set(
            try String(contentsOfFile: staging + "/packages", encoding: .utf8).split(separator: "\n").map(String.init))
        for package in ["librdkafka1", "libcurl4", "zlib1g", "libc6"] {
            #expect(packages.contains(package), "packages: \(packages.sorted())")
        }
        #expect(packages.contains { $0.hasPrefix("libhiredis") }, "packages: \(packages.sorted())")
        #expect(packages.contains { $0.hasPrefix("libjemalloc") }, "the enricher's allocator: \(packages.sorted())")
        #expect(!packages.contains { $0.hasSuffix("-dev") }, "only runtime packages: \(packages.sorted())")

        let libraries = Set(try FileManager.default.contentsOfDirectory(atPath: staging + "/swift"))
        for library in ["libswiftCore.so", "libswift_Concurrency.so", "libFoundation.so", "libdispatch.so"] {
            #expect(libraries.contains(library), "swift runtime: \(libraries.sorted())")
        }
        for service in ["collector", "shipper", "enricher", "loader"] {
            #expect(FileManager.default.isExecutableFile(atPath: "\(staging)/bin/\(service)"))
        }
    }

    @Test func librdkafkaCheckRefusesARuntimeOlderThanItsMinimum() throws {
        let script = Deployment.root.appendingPathComponent("deploy/docker/check-librdkafka.sh").path
        // This machine's distro librdkafka is Debian 12's 2.0.2: too old for the image, fine for 2.0.
        let strict = try ChildProcess.run("/bin/bash", [script, "2.2"])
        #expect(strict.status != 0)
        #expect(
            strict.stderrText.contains("2.0.2") && strict.stderrText.contains("older than 2.2"), "\(strict.stderrText)")
        let lenient = try ChildProcess.run("/bin/bash", [script, "2.0"])
        #expect(lenient.status == 0, "\(lenient.stderrText)")
        #expect(lenient.stdoutText.contains("librdkafka1 2.0.2"))
    }

    @Test func healthProbeSucceedsOnlyOnAnAnswering200() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            TestEnvironment.uniqueName("probe")
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let collector = try RunningService.start(
            "collector", arguments: ["--port", "0", "--log-directory", directory],
            environment: ["FRESHET_ADMIN_PORT": "0", "FRESHET_ADMIN_HOST": "127.0.0.1"])
        let port = String(try collector.adminPort())
        let probe = Deployment.root.appendingPathComponent("deploy/freshet-health").path

        #expect(try ChildProcess.run(probe, [port]).status == 0)
        #expect(try ChildProcess.run(probe, [port, "/ready"]).status == 0)
        // The port from the environment, as in a container with FRESHET_ADMIN_PORT set.
        var environment = ProcessInfo.processInfo.environment
        environment["FRESHET_ADMIN_PORT"] = port
        #expect(try ChildProcess.run(probe, [], environment: environment).status == 0)

        let missing = try ChildProcess.run(probe, [port, "/no-such-endpoint"])
        #expect(missing.status == 1)
        #expect(missing.stderrText.contains("404"), "\(missing.stderrText)")
        #expect(collector.stop() == 0)
        let stopped = try ChildProcess.run(probe, [port])
        #expect(stopped.status == 1)
        #expect(stopped.stderrText.contains("nothing listens"), "\(stopped.stderrText)")
    }
}
