import ArgumentParser
import Foundation
import QuartermasterCore

/// `quartermaster secret ...`: versioned secrets on a running server.
struct SecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret",
        abstract: "Write, read, list, delete and inspect versioned secrets.",
        subcommands: [SecretPutCommand.self, SecretGetCommand.self, SecretListCommand.self, SecretDeleteCommand.self, SecretHistoryCommand.self]
    )
}

/// `secret put PATH key=value...`
struct SecretPutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "put", abstract: "Store key=value pairs as the next version of PATH.")

    @Argument(help: "Path below secret/, e.g. gateway/proxy-auth/upstream.") var path: String
    @Argument(help: "key=value pairs.") var pairs: [String]
    @Option(help: "Check-and-set: write only if the current version is this (0: only if absent).") var cas: Int?
    @OptionGroup var server: ServerOptions

    struct Body: Encodable {
        var data: [String: String]
        var options: Options?
        struct Options: Encodable { var cas: Int }
    }
    struct Answer: Decodable { var data: Version; struct Version: Decodable { var version: Int } }

    func run() async throws {
        var data: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else { throw CLIError("\(pair): expected key=value") }
            data[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let body = try JSONEncoder().encode(Body(data: data, options: cas.map { .init(cas: $0) }))
        let answer = try await server.client().send(.PUT, "/v1/secrets/\(path)", body: body, as: Answer.self)
        print("stored secret/\(path) version \(answer.data.version)")
    }
}

/// `secret get PATH [--version N]`
struct SecretGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Print a secret's key=value pairs.")

    @Argument var path: String
    @Option(help: "An earlier version.") var version: Int?
    @OptionGroup var server: ServerOptions

    struct Answer: Decodable {
        var lease_id: String?
        var lease_duration: Int?
        var data: Inner
        struct Inner: Decodable { var data: [String: String]; var metadata: Metadata }
        struct Metadata: Decodable { var version: Int }
    }

    func run() async throws {
        let answer = try await server.client().send(.GET, "/v1/secrets/\(path)" + (version.map { "?version=\($0)" } ?? ""), as: Answer.self)
        print("# secret/\(path) version \(answer.data.metadata.version)")
        if let lease = answer.lease_id, let seconds = answer.lease_duration {
            print("# lease \(lease) for \(DurationText.format(.seconds(seconds)))")
        }
        for (key, value) in answer.data.data.sorted(by: { $0.key < $1.key }) { print("\(key)=\(value)") }
    }
}

/// `secret list FOLDER`
struct SecretListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the children of a folder.")

    @Argument var folder: String
    @OptionGroup var server: ServerOptions

    struct Answer: Decodable { var data: Keys; struct Keys: Decodable { var keys: [String] } }

    func run() async throws {
        let folder = self.folder.hasSuffix("/") ? self.folder : self.folder + "/"
        for key in try await server.client().send(.GET, "/v1/secrets/\(folder)?list=true", as: Answer.self).data.keys { print(key) }
    }
}

/// `secret delete PATH`: soft-deletes the current version.
struct SecretDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Soft-delete the current version (undelete through the API).")

    @Argument var path: String
    @OptionGroup var server: ServerOptions

    func run() async throws {
        _ = try await server.client().send(.DELETE, "/v1/secrets/\(path)")
        print("deleted the current version of secret/\(path)")
    }
}

/// `secret history PATH`: every version's state, no values.
struct SecretHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List a secret's versions (no values).")

    @Argument var path: String
    @OptionGroup var server: ServerOptions

    struct Answer: Decodable {
        var data: History
        struct History: Decodable { var current_version: Int; var versions: [Version] }
        struct Version: Decodable { var version: Int; var created_time: Date; var deletion_time: Date?; var destroyed: Bool }
    }

    func run() async throws {
        let history = try await server.client().send(.GET, "/v1/secrets/\(path)?history=true", as: Answer.self).data
        for version in history.versions {
            let state = version.destroyed ? "destroyed" : version.deletion_time == nil ? "live" : "deleted"
            print("v\(version.version)  \(version.created_time.formatted(.iso8601))  \(state)\(version.version == history.current_version ? "  (current)" : "")")
        }
    }
}
