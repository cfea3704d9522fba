import ArgumentParser

/// Lets every command-line option also come from the environment, as container deployments expect.
///
/// The rule is uniform, so it is documented once and never repeated per option: an option `--name-of-it`
/// can be given as the environment variable `FRESHET_NAME_OF_IT` (upper-case, dashes become
/// underscores). A flag given on the command line wins over the environment. Boolean flags take
/// `true`/`1`/`yes` (set) or `false`/`0`/`no` (left unset, or `--no-…` when the flag has an inversion).
///
/// The known options are read from the command's own help screen, so nothing lists them twice.
public enum FreshetCommandLine {
    /// The text appended to each command's `--help` discussion.
    public static let environmentHelp = """
        Every option --some-option can also be set with the environment variable FRESHET_SOME_OPTION \
        (upper-case, dashes as underscores); the command line wins over the environment.
        """

    /// The arguments to parse: `arguments` plus those supplied by `FRESHET_*` environment variables
    /// for options of the selected (sub)command that the command line does not already give.
    public static func arguments(
        for root: ParsableCommand.Type,
        arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        environment: [String: String]
    ) -> [String] {
        var command: ParsableCommand.Type = root
        var index = 0
        // Follow leading subcommand names (`enricher file …`) to the command whose options apply.
        while index < arguments.count,
            let sub = command.configuration.subcommands.first(where: { $0._commandName == arguments[index] })
        {
            command = sub
            index += 1
        }
        // No subcommand named: the options that apply are those of the default subcommand, if any.
        if index == arguments.count || arguments[index].hasPrefix("-") {
            while let fallback = command.configuration.defaultSubcommand { command = fallback }
        }
        let options = knownOptions(help: root.helpMessage(for: command, includeHidden: true, columns: 10_000))
        let given = Set(arguments.map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? $0 })
        var extra: [String] = []
        for option in options where !given.contains(option.flag) && !given.contains(option.inversion ?? "") {
            guard let value = environment[variableName(for: option.flag)] else { continue }
            if option.takesValue {
                extra += [option.flag, value]
            } else {
                switch value.lowercased() {
                case "1", "true", "yes", "on": extra.append(option.flag)
                default: if let inversion = option.inversion { extra.append(inversion) }
                }
            }
        }
        // Options go before a `--` terminator, if any, so they are still parsed as options.
        if let terminator = arguments.firstIndex(of: "--") {
            return Array(arguments[..<terminator]) + extra + Array(arguments[terminator...])
        }
        return arguments + extra
    }

    /// `--kafka-brokers` → `FRESHET_KAFKA_BROKERS`.
    public static func variableName(for flag: String) -> String {
        "FRESHET_" + String(flag.drop(while: { $0 == "-" }).uppercased().map { $0 == "-" ? "_" : $0 })
    }

    struct Option: Equatable {
        var flag: String
        var takesValue: Bool
        var inversion: String?
    }

    /// Parses option names out of a rendered help screen: `--name <value>`, `--flag`, `--flag/--no-flag`.
    static func knownOptions(help: String) -> [Option] {
        var options: [Option] = []
        var seen = Set<String>()
        for line in help.split(separator: "\n") {
            let trimmed = line.drop(while: { $0 == " " })
            guard trimmed.hasPrefix("-") else { continue }
            let words = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            for (position, rawWord) in words.enumerated() {
                let word = rawWord.hasSuffix(",") ? String(rawWord.dropLast()) : String(rawWord)
                guard word.hasPrefix("--"), word != "--help", word.count > 2 else { continue }
                let takesValue = position + 1 < words.count && words[position + 1].hasPrefix("<")
                // An inverted flag renders as `--name/--no-name`.
                let pair = word.split(separator: "/").map(String.init)
                if pair.count == 2, pair[1] == "--no-" + pair[0].dropFirst(2) {
                    if seen.insert(pair[0]).inserted {
                        options.append(Option(flag: pair[0], takesValue: false, inversion: pair[1]))
                    }
                } else if seen.insert(word).inserted {
                    options.append(Option(flag: word, takesValue: takesValue, inversion: nil))
                }
            }
        }
        return options
    }
}
