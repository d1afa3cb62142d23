/// A position in a policy document (or another YAML document Quartermaster loads): file name,
/// 1-based line and 1-based column.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The name the document was loaded under, usually its path.
    public let file: String
    /// The 1-based line.
    public let line: Int
    /// The 1-based column, counted in Unicode scalars.
    public let column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers and editors understand.
    public var description: String { "\(file):\(line):\(column)" }
}
