import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// docker-compose.yml checked without a Docker engine: it is valid for docker-compose, every variable it
/// gives a Freshet service is one that service reads, every healthcheck probes the port the service
/// serves `/health` on, the topics agree everywhere, and the services meant to scale can.
@Suite(.enabled(if: Deployment.dockerCompose != nil, Comment(rawValue: Deployment.skipMessage)))
struct DeploymentComposeTests {
    @Test func composeFilePassesDockerComposeConfig() throws {
        let compose = try require_(Deployment.dockerCompose, Deployment.skipMessage)
        let check = try ChildProcess.run(
            compose, ["-f", Deployment.composeFile, "config", "-q"], environment: Deployment.cleanEnvironment)
        #expect(check.status == 0, "docker-compose config -q: \(check.stderrText)")
    }

    @Test func everyVariableComposeSetsIsAnOptionOfItsService() throws {
        let services = try Deployment.resolvedCompose().freshetServices
        #expect(Set(services.map(\.executable)) == ["collector", "shipper", "enricher", "loader"])
        for service in services {
            let accepted = try Deployment.options(of: service.executable, subcommands: service.subcommands)
            #expect(!service.environment.isEmpty, "\(service.name) sets no configuration")
            for (variable, value) in service.environment {
                guard let option = accepted[variable] else {
                    Issue.record(
                        "\(service.name): \(variable) is not an option of `\(service.executable)` (it accepts \(accepted.keys.sorted().joined(separator: ", ")))"
                    )
                    continue
                }
                if !option.takesValue {
                    #expect(
                        ["1", "true", "yes", "on", "0", "false", "no", "off"].contains(value.lowercased()),
                        "\(service.name): \(variable) is a flag; '\(value)' is not true/false")
                }
            }
        }
    }

    @Test func everyHealthcheckProbesTheAdminPort() throws {
        for service in try Deployment.resolvedCompose().freshetServices {
            let test = (service.definition["healthcheck"] as? [String: Any])?["test"] as? [String] ?? []
            let expected = try #require(
                service.environment["FRESHET_ADMIN_PORT"].flatMap(Int.init)
                    ?? ServiceBootstrap.defaultAdminPorts[service.executable])
            #expect(
                test == ["CMD", "/usr/local/bin/freshet-health", String(expected)],
                "\(service.name) healthcheck: \(test)")
            // The probe connects to 127.0.0.1 and Prometheus to the container's address: bind all.
            #expect(
                service.environment["FRESHET_ADMIN_HOST"].map { $0 == "0.0.0.0" } ?? true, "\(service.name) admin host")
        }
        // Without an argument the probe (the image's HEALTHCHECK) uses the same defaults as the services.
        let probe = try Deployment.text("deploy/freshet-health")
        for (service, port) in ServiceBootstrap.defaultAdminPorts {
            #expect(probe.contains("\(service)) port=\(port) ;;"), "deploy/freshet-health default for \(service)")
        }
    }

    @Test func topicNamesAgreeEverywhere() throws {
        let compose = try Deployment.resolvedCompose()
        let creation = try #require(compose.services["kafka-topics"])
        let created = Deployment.topicSpecs(ComposeProject.environment(of: creation)["TOPICS"] ?? "")
        #expect(Set(created.keys) == ["raw", "enriched", "bad"])
        #expect(
            (creation["command"] as? [String])?.joined().contains("TOPICS") == true,
            "kafka-topics creates the topics listed in TOPICS")

        // make run creates the same topics.
        let run = try Deployment.text("scripts/run.sh")
        let runDefault = try #require(run.firstMatch(of: /FRESHET_TOPICS:-([^}]*)\}/)?.1)
        #expect(Set(Deployment.topicSpecs(String(runDefault)).keys) == Set(created.keys))

        // Every topic a service is configured with (in compose, or by its default) is created.
        for service in compose.freshetServices {
            let defaults = try Deployment.defaults(of: service.executable, subcommands: service.subcommands)
            let accepted = try Deployment.options(of: service.executable, subcommands: service.subcommands)
            for variable in accepted.keys where variable.hasSuffix("_TOPIC") {
                let topic = try #require(
                    service.environment[variable] ?? defaults[variable], "\(service.name): \(variable) has no value")
                #expect(created[topic] != nil, "\(service.name): \(variable)=\(topic) is not created by kafka-topics")
            }
        }

        // The documentation names the same topics.
        for document in ["README.md", "docs/deployment.md"] {
            let text = try Deployment.text(document)
            for topic in created.keys {
                #expect(text.contains("`\(topic)`"), "\(document) does not mention the topic `\(topic)`")
            }
        }
    }

    @Test func scaledServicesCanRunManyReplicasAndThePartitionsAllowIt() throws {
        let compose = try Deployment.resolvedCompose()
        let topics = Deployment.topicSpecs(
            ComposeProject.environment(of: compose.services["kafka-topics"] ?? [:])["TOPICS"] ?? "")
        // The README's scaling command, e.g. `docker compose up --scale enricher=3 --scale loader=2`.
        let readme = try Deployment.text("README.md")
        let scales = readme.matches(of: /--scale ([a-z-]+)=(\d+)/).map { (String($0.1), Int($0.2)!) }
        #expect(Set(scales.map(\.0)) == ["enricher", "loader"])
        for (name, replicas) in scales {
            let service = try #require(compose.services[name])
            for key in ["container_name", "hostname", "ports"] {
                #expect(service[key] == nil, "\(name) cannot scale with \(key)")
            }
            // Each replica needs a partition of the topic its group consumes.
            let topic = name == "enricher" ? "raw" : "enriched"
            #expect((topics[topic] ?? 0) >= replicas, "\(replicas) \(name)s need \(replicas) partitions of \(topic)")
        }
    }

    @Test func eachCollectorHasItsOwnShipperAndLogDirectory() throws {
        let services = try Deployment.resolvedCompose().freshetServices
        let collectors = services.filter { $0.executable == "collector" }
        let shippers = services.filter { $0.executable == "shipper" }
        #expect(collectors.count >= 2, "a second pair shows how pairs scale")
        var volumes = Set<String>()
        for collector in collectors {
            let directory = try #require(collector.environment["FRESHET_LOG_DIRECTORY"])
            let volume = try #require(
                ComposeProject.namedVolumes(of: collector.definition)[directory],
                "\(collector.name) logs to a named volume")
            #expect(volumes.insert(volume).inserted, "\(volume) is shared by two collectors")
            let followers = shippers.filter { ComposeProject.namedVolumes(of: $0.definition).values.contains(volume) }
            #expect(followers.count == 1, "\(collector.name)'s \(volume) is followed by \(followers.map(\.name))")
        }
        #expect(
            Set(collectors.compactMap { $0.environment["FRESHET_LOG_STEM"] }).count == collectors.count,
            "each collector has its own stem")

        // nginx sends to every collector, on its tracking port.
        let nginx = try Deployment.text("deploy/nginx/nginx.conf")
        for collector in collectors {
            let port = collector.environment["FRESHET_PORT"] ?? "8080"
            #expect(
                nginx.contains("server \(collector.name):\(port) resolve"), "nginx.conf lacks \(collector.name):\(port)"
            )
        }
    }

    @Test func prometheusScrapesEveryServiceOnItsAdminPort() throws {
        let services = try Deployment.resolvedCompose().freshetServices
        let config =
            try JSONSerialization.jsonObject(
                with: Deployment.yamlToJSON(Data(try Deployment.text("deploy/prometheus/prometheus.yml").utf8)))
            as? [String: Any]
        let jobs = config?["scrape_configs"] as? [[String: Any]] ?? []
        for service in services {
            let job = try #require(
                jobs.first { $0["job_name"] as? String == service.executable },
                "no Prometheus job \(service.executable)")
            let discovery = (job["dns_sd_configs"] as? [[String: Any]])?.first ?? [:]
            let port =
                service.environment["FRESHET_ADMIN_PORT"].flatMap(Int.init)
                ?? ServiceBootstrap.defaultAdminPorts[service.executable]
            #expect(discovery["port"] as? Int == port, "Prometheus job \(service.executable) port")
            #expect(
                (discovery["names"] as? [String])?.contains(service.name) == true,
                "Prometheus does not discover \(service.name)")
        }
    }
}
