import ArgumentParser
import Foundation
import QuartermasterCore

/// `policy plan FILE`: the access each identity would gain and lose against the active policy.
struct PolicyPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Show access added and removed per identity, against the active policy.")

    @Argument(help: "Policy YAML file.")
    var file: String

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let text = try PolicyFile.read(file)
        let plan = try await server.client().send(.POST, "/v1/policy/plan?source=\(file.queryEncoded)", body: Data(text.utf8), contentType: "application/yaml", as: PolicyPlan.self)
        print(plan.text)
    }
}

/// `policy apply FILE`: validates on the server and stores it as the new active version.
struct PolicyApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apply", abstract: "Store a policy file as the new active version (history is kept).")

    @Argument(help: "Policy YAML file.")
    var file: String

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let text = try PolicyFile.read(file)
        let applied = try await server.client().send(.PUT, "/v1/policy?source=\(file.queryEncoded)", body: Data(text.utf8), contentType: "application/yaml", as: PolicyVersionSummary.self)
        print("applied \(file) as policy version \(applied.version) (sha256 \(applied.digest.prefix(12)))")
    }
}

/// `policy history`: stored versions, newest first.
struct PolicyHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List stored policy versions, newest first.")

    @Option(help: "How many versions to show.")
    var limit = 20

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let history = try await server.client().send(.GET, "/v1/policy/history?limit=\(limit)", as: PolicyHistory.self)
        for version in history.versions {
            let note = version.comment.isEmpty ? "" : "  (\(version.comment))"
            print("v\(version.version)  \(version.created_at.formatted(.iso8601))  \(version.created_by)  \(version.source_name)  \(version.digest.prefix(12))\(note)")
        }
    }
}

/// `policy rollback VERSION`: stores an earlier version's document as the new active version.
struct PolicyRollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollback", abstract: "Make an earlier version active again (as a new version).")

    @Argument(help: "The version to return to.")
    var version: Int

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let body = try JSONEncoder().encode(["version": version])
        let applied = try await server.client().send(.POST, "/v1/policy/rollback", body: body, as: PolicyVersionSummary.self)
        print("rolled back to version \(version); active policy is now version \(applied.version)")
    }
}

/// One version as the API lists it.
struct PolicyVersionSummary: Decodable {
    var version: Int
    var source_name: String
    var digest: String
    var created_at: Date
    var created_by: String
    var comment: String
}

struct PolicyHistory: Decodable {
    var versions: [PolicyVersionSummary]
}
