import ArgumentParser
import Foundation

/// `quartermaster lease ...`: leases on a running server.
struct LeaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lease",
        abstract: "List, renew and revoke leases.",
        subcommands: [LeaseListCommand.self, LeaseRenewCommand.self, LeaseRevokeCommand.self, LeaseRevokePrefixCommand.self]
    )
}

/// One lease as the API shows it.
struct LeaseView: Decodable {
    var lease_id: String
    var subject: String
    var expire_time: Date
    var renewable: Bool

    var line: String { "\(lease_id)  \(subject)  until \(expire_time.formatted(.iso8601))\(renewable ? "  renewable" : "")" }
}

/// `lease list [--subject S] [--prefix P]`
struct LeaseListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List live leases (your own unless --subject is given).")

    @Option(help: "Another identity's leases (needs list on sys/leases).") var subject: String?
    @Option(help: "Only lease ids starting with this.") var prefix: String?
    @OptionGroup var server: ServerOptions

    struct Answer: Decodable { var data: Leases; struct Leases: Decodable { var leases: [LeaseView] } }

    func run() async throws {
        var query = URLComponents()
        query.queryItems = [subject.map { URLQueryItem(name: "subject", value: $0) }, prefix.map { URLQueryItem(name: "prefix", value: $0) }].compactMap { $0 }
        let suffix = query.queryItems?.isEmpty == false ? "?" + (query.percentEncodedQuery ?? "") : ""
        let leases = try await server.client().send(.GET, "/v1/leases" + suffix, as: Answer.self).data.leases
        if leases.isEmpty { print("no live leases") }
        for lease in leases { print(lease.line) }
    }
}

/// `lease renew ID [--increment 1h]`
struct LeaseRenewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "renew", abstract: "Extend a lease (never past its maximum).")

    @Argument var leaseID: String
    @Option(help: "How much longer, e.g. 30m (default: the lease's original TTL).") var increment: String?
    @OptionGroup var server: ServerOptions

    struct Body: Encodable { var lease_id: String; var increment: String? }
    struct Answer: Decodable { var data: LeaseView }

    func run() async throws {
        let body = try JSONEncoder().encode(Body(lease_id: leaseID, increment: increment))
        print("renewed \(try await server.client().send(.POST, "/v1/leases/renew", body: body, as: Answer.self).data.line)")
    }
}

/// `lease revoke ID`
struct LeaseRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a lease and everything leased under it.")

    @Argument var leaseID: String
    @OptionGroup var server: ServerOptions

    struct Body: Encodable { var lease_id: String }
    struct Answer: Decodable { var data: Revoked; struct Revoked: Decodable { var revoked: [String] } }

    func run() async throws {
        let body = try JSONEncoder().encode(Body(lease_id: leaseID))
        let revoked = try await server.client().send(.POST, "/v1/leases/revoke", body: body, as: Answer.self).data.revoked
        print(revoked.isEmpty ? "no lease \(leaseID)" : "revoked \(revoked.joined(separator: ", "))")
    }
}

/// `lease revoke-prefix PREFIX`
struct LeaseRevokePrefixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke-prefix", abstract: "Revoke every lease whose id starts with PREFIX (needs delete on sys/leases/PREFIX).")

    @Argument var prefix: String
    @OptionGroup var server: ServerOptions

    struct Body: Encodable { var prefix: String }

    func run() async throws {
        let body = try JSONEncoder().encode(Body(prefix: prefix))
        let revoked = try await server.client().send(.POST, "/v1/leases/revoke-prefix", body: body, as: LeaseRevokeCommand.Answer.self).data.revoked
        print("revoked \(revoked.count) lease(s)")
    }
}
