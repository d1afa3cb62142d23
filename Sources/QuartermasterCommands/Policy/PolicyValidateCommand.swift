import ArgumentParser
import QuartermasterCore

/// `policy validate FILE`: checks a document locally and prints every problem as `file:line:column: message`.
struct PolicyValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check a policy file; print every error with file:line:column.")

    @Argument(help: "Policy YAML file.")
    var file: String

    func run() throws {
        let text = try PolicyFile.read(file)
        do {
            let policy = try PolicyParser.parse(yaml: text, sourceName: file)
            print("\(file): valid (\(policy.identities.count) identities, \(policy.roles.count) roles, \(policy.clusters.count) clusters)")
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
