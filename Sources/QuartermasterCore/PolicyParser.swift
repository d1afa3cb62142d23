import Yams

/// Loads policy documents: YAML in, a validated `Policy` or every problem found out.
public enum PolicyParser: Sendable {
    /// Parses and validates a policy document. Returns only a valid policy; otherwise throws
    /// every problem found, each at its `sourceName:line:column`.
    public static func parse(yaml: String, sourceName: String) throws(PolicyErrors) -> Policy {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PolicyErrors(diagnostics: [diagnostic(for: error, sourceName: sourceName)])
        }
        guard let root else {
            let start = SourceLocation(file: sourceName, line: 1, column: 1)
            throw PolicyErrors(diagnostics: [PolicyDiagnostic(location: start, message: "the document is empty; expected a mapping starting with 'version: 1'")])
        }
        var reader = PolicyDocumentReader(sourceName: sourceName)
        let draft = reader.readDocument(root)
        let diagnostics = PolicyValidator(draft: draft).diagnostics()
        guard diagnostics.isEmpty else { throw PolicyErrors(diagnostics: diagnostics) }
        return draft.policy
    }
}
