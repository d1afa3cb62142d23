import ArgumentParser
import Foundation
import Logging
import QuartermasterServices
import QuartermasterStorage

/// `quartermaster audit ...`: verify the chain offline, or tail it from a server.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify and read the tamper-evident audit log.",
        subcommands: [AuditVerifyCommand.self, AuditTailCommand.self]
    )
}

/// `audit verify`: reads storage directly (it does not trust a server) and names the first bad record.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check the audit hash chain; name the first edited, deleted, inserted or reordered record.")

    @Option(help: "Server configuration file (its storage and audit key are used).")
    var config: String?

    @Option(help: "Data directory of a dev server (used when --config is not given).")
    var dataDir = ".quartermaster"

    func run() async throws {
        var configuration: ServerConfiguration
        if let config {
            do {
                configuration = try ConfigurationLoader.load(path: config)
            } catch {
                throw CLIError(error.description)
            }
        } else {
            configuration = ServerConfiguration()
            configuration.dataDirectory = dataDir
            configuration.storage = "sqlite:" + (dataDir as NSString).appendingPathComponent("quartermaster.db")
            guard FileManager.default.fileExists(atPath: (dataDir as NSString).appendingPathComponent("quartermaster.db")) else {
                throw CLIError("\(dataDir)/quartermaster.db not found: pass --data-dir or --config")
            }
        }
        guard FileManager.default.fileExists(atPath: configuration.resolvedAuditKeyFile) else {
            throw CLIError("audit key \(configuration.resolvedAuditKeyFile) not found")
        }
        let key = try AuditKeyFile.loadOrCreate(path: configuration.resolvedAuditKeyFile)
        var logger = Logger(label: "quartermaster.audit-verify")
        logger.logLevel = .warning
        let storage = try await Storage.open(url: configuration.storage, logger: logger, role: .secondary)
        let result: AuditVerification
        do {
            result = try await AuditLog(store: storage.audit, key: key).verify()
        } catch {
            try? await storage.close()
            throw error
        }
        try await storage.close()
        if let problem = result.firstProblem {
            printError("audit log BROKEN at record \(problem.sequence) (\(problem.kind.rawValue)): \(problem.detail); \(result.recordsChecked) records before it are intact")
            throw ExitCode(1)
        }
        print("audit log intact: \(result.recordsChecked) records verified")
    }
}

/// `audit tail`: the newest records from a running server.
struct AuditTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail", abstract: "Print the newest audit records.")

    @Option(name: [.customShort("n"), .long], help: "How many records.")
    var count = 20

    @Option(help: "Only records about this subject.")
    var subject: String?

    @OptionGroup var server: ServerOptions

    struct Answer: Decodable {
        var records: [AuditRecord]
    }

    func run() async throws {
        let path = subject.map { "/v1/audit?subject=\($0.queryEncoded)&limit=\(count)" } ?? "/v1/audit?tail=\(count)"
        let answer = try await server.client().send(.GET, path, as: Answer.self)
        for record in answer.records {
            print("#\(record.sequence) \(record.time.formatted(.iso8601)) \(record.decision.uppercased()) \(record.subject) \(record.action) \(record.resource) — \(record.reason)")
        }
    }
}
