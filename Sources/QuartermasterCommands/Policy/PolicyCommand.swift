import ArgumentParser

/// `quartermaster policy ...`: validate locally; plan, apply, history, rollback and explain against a server.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Validate, plan, apply, roll back and explain policy.",
        subcommands: [
            PolicyValidateCommand.self, PolicyPlanCommand.self, PolicyApplyCommand.self,
            PolicyHistoryCommand.self, PolicyRollbackCommand.self, PolicyExplainCommand.self,
        ]
    )
}

/// Reads a policy file for the commands that send one.
enum PolicyFile {
    static func read(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CLIError("\(path): cannot read the file")
        }
    }
}
