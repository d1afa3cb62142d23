import ArgumentParser
import Foundation

/// `quartermaster dev`: the zero-config local server (SQLite in `.quartermaster/`).
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run a local server with SQLite storage and no configuration."
    )

    @Option(help: "Directory for the database and keys.")
    var dataDir = ".quartermaster"

    @Option(help: "Port to listen on (127.0.0.1).")
    var port = 8420

    @Option(help: "Policy loaded on first start, when storage holds none.")
    var policy = "examples/policy.yaml"

    @Option(help: "A provider-instances.yaml whose credentials to broker (none by default).")
    var providers: String?

    func run() async throws {
        var configuration = ServerConfiguration()
        configuration.port = port
        configuration.dataDirectory = dataDir
        configuration.storage = "sqlite:" + (dataDir as NSString).appendingPathComponent("quartermaster.db")
        configuration.initialPolicy = policy
        configuration.providerInstances = providers
        let hasStoredPolicy = FileManager.default.fileExists(atPath: (dataDir as NSString).appendingPathComponent("quartermaster.db"))
        if !hasStoredPolicy && !FileManager.default.fileExists(atPath: policy) {
            throw CLIError("\(policy) not found: run from the repository root or pass --policy FILE")
        }
        let dataDir = self.dataDir
        try await ServerRunner(configuration: configuration) { port, adminToken in
            DevBanner.print(port: port, dataDir: dataDir, adminToken: adminToken)
        }.run()
    }
}

/// What `quartermaster dev` prints once it listens.
enum DevBanner {
    static func print(port: Int, dataDir: String, adminToken: String?) {
        var lines = [
            "Quartermaster dev server listening on http://127.0.0.1:\(port)",
            "Storage: SQLite in \(dataDir)/ (delete the folder to start over)",
            "",
        ]
        if let adminToken {
            lines += [
                "Admin token (shown once; only its hash is stored):",
                "",
                "    \(adminToken)",
                "",
                "Try:",
                "    export QUARTERMASTER_ADDR=http://127.0.0.1:\(port) QUARTERMASTER_TOKEN=\(adminToken)",
                "    curl -s http://127.0.0.1:\(port)/healthz",
                "    .build/debug/quartermaster policy explain --subject gateway-service --action read --resource secret/gateway/proxy-auth/upstream",
                "    .build/debug/quartermaster audit tail",
            ]
        } else {
            lines.append("The admin token was shown at first start. Delete \(dataDir)/ to get a new one.")
        }
        printNow(lines.joined(separator: "\n"))
    }
}
