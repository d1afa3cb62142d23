import QuartermasterStorage

/// The outcome of checking the whole audit chain.
public struct AuditVerification: Sendable, Equatable, Codable {
    /// How many records were read.
    public var recordsChecked: Int64
    /// The first broken record, or nil when the chain is intact.
    public var firstProblem: AuditChainProblem?

    public var isIntact: Bool { firstProblem == nil }
}

/// Where and how the chain breaks.
public struct AuditChainProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The sequence number of the first bad record (or of the missing one).
    public var sequence: Int64
    public var kind: Kind
    public var detail: String

    /// The kinds of breakage, named after what most likely caused them.
    public enum Kind: String, Sendable, Codable {
        /// The record's contents do not match its hash.
        case edited
        /// A sequence number is missing, or the log ends before the recorded head.
        case deleted
        /// A record does not link to the one before it, or the log runs past the head.
        case inserted
        /// A record links to a different predecessor than the one stored before it.
        case reordered
    }

    public var description: String { "record \(sequence): \(kind.rawValue): \(detail)" }
}
