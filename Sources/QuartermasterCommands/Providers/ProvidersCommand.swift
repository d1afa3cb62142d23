import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOSSL
import Logging
import QuartermasterCore
import QuartermasterServices

/// `quartermaster providers ...`: brokered provider credentials.
struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "Validate provider-instances.yaml, show each instance's credential health, fetch one credential.",
        subcommands: [ProvidersStatusCommand.self, ProvidersValidateCommand.self, ProvidersFetchCommand.self, ProvidersOCISignCommand.self]
    )
}

/// `providers status`: each instance with its method, age, time to expiry, last refresh and last error.
struct ProvidersStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Each instance's method, credential age, time to expiry, last refresh and last error.")

    @OptionGroup var server: ServerOptions

    struct Answer: Decodable { var providers: [Status] }
    struct Status: Decodable {
        var instance: String
        var provider: String
        var method: String
        var obtained_at: Date?
        var expires_at: Date?
        var last_success: Date?
        var last_error: String?
        var consecutive_failures: Int
    }

    func run() async throws {
        let statuses = try await server.client().send(.GET, "/v1/providers", as: Answer.self).providers
        if statuses.isEmpty { print("no provider instances are configured") }
        let now = Date()
        for status in statuses {
            let age = status.obtained_at.map { DurationText.format(.seconds(Int(now.timeIntervalSince($0)))) } ?? "-"
            let expiry = status.expires_at.map { $0 > now ? "in " + DurationText.format(.seconds(Int($0.timeIntervalSince(now)))) : "expired" } ?? "never"
            let last = status.last_success.map { $0.formatted(.iso8601) } ?? "never"
            var line = "\(status.instance)  \(status.provider)  \(status.method)  age \(age)  expires \(expiry)  last refresh \(last)"
            if let error = status.last_error { line += "  last error (\(status.consecutive_failures) in a row): \(error)" }
            print(line)
        }
    }
}

/// `providers validate FILE`
struct ProvidersValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check a provider-instances.yaml; print every error with file:line:column.")

    @Argument(help: "provider-instances.yaml") var file: String

    func run() throws {
        do {
            let instances = try ProviderInstancesFile.load(file)
            let weak = instances.instances.filter(\.isWeak).map(\.name)
            print("\(file): valid (\(instances.instances.count) instances)" + (weak.isEmpty ? "" : "; static keys (weaker than workload identity): \(weak.joined(separator: ", "))"))
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}

/// `providers fetch --config FILE --instance NAME`: runs one instance's exchange once, here,
/// with its token files (for checking a configuration, and for the differential tests against
/// the providers' SDKs). Prints what was obtained, never the secret.
struct ProvidersFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fetch", abstract: "Run one instance's credential exchange once and print what it obtained (never the secret).")

    @Option(help: "provider-instances.yaml") var config: String
    @Option(help: "The instance to fetch.") var instance: String
    @Option(help: "Extra trust roots (PEM) for the provider's TLS certificate, such as a private CA.") var caFile: String?
    @Flag(help: "Print JSON.") var json = false

    struct Result: Encodable {
        var instance: String
        var method: String
        var kind: String
        var expires_at: String?
        /// For AWS credentials: the access key id (an identifier, not a secret).
        var access_key_id: String?
    }

    func run() async throws {
        let instances = try ProviderInstancesFile.load(config)
        guard let target = instances.instance(named: instance) else { throw CLIError("\(config): no instance \(instance)") }
        let http = try caFile.map(Self.client(trusting:))
        let credential: ProviderCredential
        do {
            let exchange = try ProviderExchangeFactory(issuer: nil, secrets: nil, http: http ?? .shared).exchange(for: target)
            credential = try await exchange.fetch(now: Date())
            try await http?.shutdown()
        } catch {
            try? await http?.shutdown()
            throw CLIError("\(instance): \(error)")
        }
        var accessKeyID: String?
        if case .aws(let id, _, _) = credential.kind { accessKeyID = id }
        let result = Result(instance: target.name, method: target.method, kind: credential.kind.name, expires_at: credential.expiresAt.map { $0.formatted(.iso8601) }, access_key_id: accessKeyID)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print("\(result.instance): obtained a \(result.kind) credential by \(result.method)" + (result.expires_at.map { ", expires \($0)" } ?? ""))
        }
    }

    /// An HTTP client that also trusts the certificates in `path`.
    static func client(trusting path: String) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(path))]
        } catch {
            throw CLIError("cannot read \(path) as PEM certificates")
        }
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
    }
}
