/// One problem found in a policy document (or in `provider-instances.yaml`), anchored at the
/// place that causes it.
public struct PolicyDiagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where the problem is.
    public let location: SourceLocation
    /// What is wrong, as a sentence fragment.
    public let message: String

    /// Creates a diagnostic.
    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line:column: message`.
    public var description: String { "\(location): \(message)" }
}
