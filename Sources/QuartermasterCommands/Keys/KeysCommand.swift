import ArgumentParser
import Foundation

/// `quartermaster keys ...`: the issuer's signing keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List and rotate the issuer's signing keys and the root keyring; rewrap under the active root key.",
        subcommands: [KeysListCommand.self, KeysRotateCommand.self, KeysRootCommand.self, KeysRotateRootCommand.self, KeysRewrapCommand.self]
    )
}

/// One key as the API lists it.
struct KeyView: Decodable {
    var kid: String
    var algorithm: String
    var state: String
    var signs_from: Date
    var signs_until: Date
    var published_until: Date

    var line: String {
        "\(kid)  \(algorithm)  \(state)  signs \(signs_from.formatted(.iso8601)) .. \(signs_until.formatted(.iso8601))  published until \(published_until.formatted(.iso8601))"
    }
}

/// `keys list`: every published key with its schedule.
struct KeysListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List published signing keys (pending, active, retired).")

    @OptionGroup var server: ServerOptions

    struct Answer: Decodable { var keys: [KeyView] }

    func run() async throws {
        for key in try await server.client().send(.GET, "/v1/keys", as: Answer.self).keys {
            print(key.line)
        }
    }
}

/// `keys rotate`: publishes a new key; it signs after one JWKS cache period, or at once with `--immediate`.
struct KeysRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rotate", abstract: "Publish a new signing key and schedule the current one's retirement.")

    @Option(help: "ES256, EdDSA or RS256 (default: the default algorithm).")
    var algorithm: String?

    @Flag(help: "Sign with the new key at once (after a compromise); verifiers with a cached JWKS refetch on the unknown kid.")
    var immediate = false

    @OptionGroup var server: ServerOptions

    struct Body: Encodable {
        var algorithm: String?
        var immediate: Bool
    }

    func run() async throws {
        let json = try JSONEncoder().encode(Body(algorithm: algorithm, immediate: immediate))
        let key = try await server.client().send(.POST, "/v1/keys/rotate", body: json, as: KeyView.self)
        print("published \(key.line)")
    }
}
