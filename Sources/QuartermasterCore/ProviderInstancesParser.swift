import Yams

/// Loads `provider-instances.yaml`: YAML in, validated `ProviderInstances` or every problem out.
///
/// Problems are thrown as `PolicyErrors` (a list of `PolicyDiagnostic`), the same error the
/// policy loader throws, so callers print both files' problems alike, one
/// `file:line:column: message` per line. Despite the name, nothing here is about policy.
public enum ProviderInstancesParser: Sendable {
    /// Parses and validates a provider instances file. Returns only a fully valid file (an empty
    /// `instances: {}` is valid and configures no provider); otherwise throws every problem found,
    /// each at its `sourceName:line:column`, sorted by position.
    public static func parse(yaml: String, sourceName: String) throws(PolicyErrors) -> ProviderInstances {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PolicyErrors(diagnostics: [PolicyParser.diagnostic(for: error, sourceName: sourceName)])
        }
        guard let root else {
            let start = SourceLocation(file: sourceName, line: 1, column: 1)
            throw PolicyErrors(diagnostics: [PolicyDiagnostic(location: start, message: "the document is empty; expected a mapping with 'instances'")])
        }
        var reader = ProviderInstancesReader(sourceName: sourceName)
        let instances = reader.readDocument(root)
        guard reader.diagnostics.isEmpty else { throw PolicyErrors(diagnostics: reader.diagnostics) }
        return ProviderInstances(instances: instances, sourceName: sourceName)
    }
}
