import ArgumentParser
import Foundation
import QuartermasterCore

/// `policy explain`: asks the active policy one question and prints the decision and why.
struct PolicyExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Show whether the active policy allows a request, and why.")

    @Option(help: "The identity asking.")
    var subject: String

    @Option(help: "The action, e.g. read.")
    var action: String

    @Option(help: "The resource path, e.g. secret/llm/openai.")
    var resource: String

    @Option(name: .customLong("context"), help: "A request attribute as key=value (repeatable), e.g. cluster_id=prod-eu-1.")
    var context: [String] = []

    @OptionGroup var server: ServerOptions

    func run() async throws {
        var attributes: [String: String] = [:]
        for pair in context {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw CLIError("--context \(pair): expected key=value")
            }
            attributes[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let question = AuthorizationRequest(subject: subject, action: action, resource: resource, context: attributes)
        let decision = try await server.client().send(.POST, "/v1/authorize", body: try JSONEncoder().encode(question), as: Decision.self)
        print("\(decision.allowed ? "ALLOW" : "DENY"): \(decision.reason)")
    }
}
