/// Every problem found while loading a policy document; thrown instead of returning a policy.
/// `ProviderInstancesParser` throws it too, for `provider-instances.yaml`, so that both files'
/// problems are printed alike.
public struct PolicyErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, ordered by position in the document.
    public let diagnostics: [PolicyDiagnostic]

    /// Creates the error from diagnostics, which are sorted by line and column.
    public init(diagnostics: [PolicyDiagnostic]) {
        self.diagnostics = diagnostics.enumerated().sorted { lhs, rhs in
            let left = lhs.element.location, right = rhs.element.location
            if left.line != right.line { return left.line < right.line }
            if left.column != right.column { return left.column < right.column }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
