import ArgumentParser

/// The `quartermaster` command line.
@available(macOS 15, *)
public struct QuartermasterCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "quartermaster",
        abstract: "Workload identity and credential broker for AI platforms.",
        subcommands: [DevCommand.self, ServeCommand.self, PolicyCommand.self, AuditCommand.self, KeysCommand.self, SecretCommand.self, LeaseCommand.self, TransitCommand.self, ProvidersCommand.self]
    )

    public init() {}
}
