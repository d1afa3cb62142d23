import ArgumentParser
import Foundation

/// `quartermaster serve --config FILE`: the server from a YAML configuration.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server from a YAML configuration (keys overridable by QUARTERMASTER_<KEY>)."
    )

    @Option(help: "YAML configuration file.")
    var config: String?

    func run() async throws {
        let configuration: ServerConfiguration
        do {
            configuration = try ConfigurationLoader.load(path: config)
        } catch {
            throw CLIError(error.description)
        }
        try await ServerRunner(configuration: configuration) { port, adminToken in
            printNow("Quartermaster listening on \(configuration.host):\(port)")
            if let adminToken {
                printNow("Bootstrap admin token (shown once; only its hash is stored): \(adminToken)")
            }
        }.run()
    }
}
