import Foundation
import FreshetTestSupport

@testable import Shared

/// What the deployment tests read: docker-compose.yml as docker-compose resolves it, the options each
/// built executable accepts, and the repository's text files.
enum Deployment {
    static let root = TestEnvironment.repositoryRoot
    static let composeFile = root.appendingPathComponent("docker-compose.yml").path

    /// Debian's docker-compose 1.29 (`apt-get install docker-compose`, done by scripts/bootstrap.sh).
    static var dockerCompose: String? {
        ["/usr/bin/docker-compose", "/usr/local/bin/docker-compose"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    static let skipMessage =
        "docker-compose is not installed: apt-get install docker-compose (scripts/bootstrap.sh installs it)"

    /// An environment without the caller's variables, so `${…}` in the compose file take the defaults
    /// written there (make test exports FRESHET_* variables of its own).
    static var cleanEnvironment: [String: String] {
        ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": NSTemporaryDirectory()]
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// `docker-compose config` (anchors merged, interpolation applied) converted to JSON by PyYAML,
    /// which docker-compose itself depends on.
    static func resolvedCompose() throws -> ComposeProject {
        let compose = try require_(dockerCompose, skipMessage)
        let config = try ChildProcess.run(compose, ["-f", composeFile, "config"], environment: cleanEnvironment)
        guard config.status == 0 else { throw DeploymentFailure("docker-compose config failed:\n\(config.stderrText)") }
        let json = try yamlToJSON(config.stdout)
        guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any],
            let services = object["services"] as? [String: [String: Any]]
        else { throw DeploymentFailure("no services in the resolved compose file") }
        return ComposeProject(services: services)
    }

    /// YAML text → JSON data, with the system Python's PyYAML.
    static func yamlToJSON(_ yaml: Data) throws -> Data {
        let output = try ChildProcess.run(
            "/usr/bin/python3", ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
            input: yaml)
        guard output.status == 0 else {
            throw DeploymentFailure("PyYAML could not read the YAML: \(output.stderrText)")
        }
        return output.stdout
    }

    /// The options `executable` (followed by `subcommands`) accepts, read from its help screen with
    /// FreshetCommandLine's own parser — the rule the service applies to its environment at start.
    static func options(of executable: String, subcommands: [String] = []) throws -> [String: FreshetCommandLine.Option]
    {
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "10000"
        let help = try ChildProcess.run(
            RunningService.binary(executable), subcommands + ["--help-hidden"], environment: environment)
        guard help.status == 0 else {
            throw DeploymentFailure("\(executable) --help-hidden failed: \(help.stderrText)")
        }
        let options = FreshetCommandLine.knownOptions(help: help.stdoutText).filter {
            $0.flag != "--version" && $0.flag != "--help-hidden"
        }
        guard !options.isEmpty else { throw DeploymentFailure("no options found in the help of \(executable)") }
        return Dictionary(
            options.map { (FreshetCommandLine.variableName(for: $0.flag), $0) }, uniquingKeysWith: { first, _ in first }
        )
    }

    /// Each option's default value as the executable reports it (`--experimental-dump-help`).
    static func defaults(of executable: String, subcommands: [String] = []) throws -> [String: String] {
        let dump = try ChildProcess.run(RunningService.binary(executable), ["--experimental-dump-help"])
        guard
            var command = (try JSONSerialization.jsonObject(with: dump.stdout) as? [String: Any])?["command"]
                as? [String: Any]
        else {
            throw DeploymentFailure("\(executable) --experimental-dump-help gave no command")
        }
        for name in subcommands {
            guard
                let sub = (command["subcommands"] as? [[String: Any]])?.first(where: {
                    $0["commandName"] as? String == name
                })
            else {
                throw DeploymentFailure("\(executable) has no subcommand \(name)")
            }
            command = sub
        }
        var defaults: [String: String] = [:]
        for argument in command["arguments"] as? [[String: Any]] ?? [] {
            guard
                let long = (argument["names"] as? [[String: String]])?.first(where: { $0["kind"] == "long" })?["name"],
                let value = argument["defaultValue"] as? String
            else { continue }
            defaults[FreshetCommandLine.variableName(for: "--" + long)] = value
        }
        return defaults
    }

    /// `name:partitions` words, e.g. `raw:6 enriched:6 bad:3`.
    static func topicSpecs(_ text: String) -> [String: Int] {
        Dictionary(
            text.split(separator: " ").compactMap { word -> (String, Int)? in
                let parts = word.split(separator: ":")
                guard parts.count == 2, let partitions = Int(parts[1]) else { return nil }
                return (String(parts[0]), partitions)
            }, uniquingKeysWith: { first, _ in first })
    }
}

/// The resolved services of docker-compose.yml.
struct ComposeProject {
    var services: [String: [String: Any]]

    /// A service running one of Freshet's executables: it is built from this repository.
    struct FreshetService {
        var name: String
        var executable: String
        var subcommands: [String]
        var environment: [String: String]
        var definition: [String: Any]
    }

    var freshetServices: [FreshetService] {
        services.filter { $0.value["build"] != nil }.sorted { $0.key < $1.key }.map { name, definition in
            let command = definition["command"] as? [String] ?? []
            return FreshetService(
                name: name, executable: command.first ?? "",
                subcommands: Array(command.dropFirst().prefix { !$0.hasPrefix("-") }),
                environment: ComposeProject.environment(of: definition), definition: definition)
        }
    }

    static func environment(of definition: [String: Any]) -> [String: String] {
        (definition["environment"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
    }

    /// The named volumes a service mounts, by container path.
    static func namedVolumes(of definition: [String: Any]) -> [String: String] {
        var mounts: [String: String] = [:]
        for entry in definition["volumes"] as? [Any] ?? [] {
            if let text = entry as? String {
                let parts = text.split(separator: ":").map(String.init)
                if parts.count >= 2, !parts[0].hasPrefix("/"), !parts[0].hasPrefix(".") { mounts[parts[1]] = parts[0] }
            } else if let long = entry as? [String: Any], long["type"] as? String == "volume",
                let source = long["source"] as? String, let target = long["target"] as? String
            {
                mounts[target] = source
            }
        }
        return mounts
    }
}

struct DeploymentFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `value`, or a failure saying why the test cannot go on.
func require_<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw DeploymentFailure(message) }
    return value
}
