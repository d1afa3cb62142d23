/// A slash-separated resource pattern: `*` matches one segment, `**` any number including none.
///
/// Two patterns are equal when their text is; the location is only for messages.
public struct ResourcePattern: Sendable, Hashable, CustomStringConvertible {
    /// One segment of a pattern.
    public enum Segment: Sendable, Hashable {
        /// Matches exactly this segment.
        case literal(String)
        /// `*`: matches exactly one segment.
        case anySegment
        /// `**`: matches zero or more segments.
        case anyDepth
    }

    /// The pattern as written.
    public let text: String
    /// The parsed segments.
    public let segments: [Segment]
    /// Where the pattern was written, when it came from a document.
    public let location: SourceLocation?

    /// Parses and validates a pattern, rejecting any that could match nothing.
    public init(_ text: String, location: SourceLocation? = nil) throws(ResourcePatternError) {
        self.text = text
        self.segments = try Self.parseSegments(text)
        self.location = location
    }

    /// The pattern as written.
    public var description: String { text }

    /// Equal when the texts are equal.
    public static func == (lhs: ResourcePattern, rhs: ResourcePattern) -> Bool {
        lhs.text == rhs.text
    }

    /// Hashes the text.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
    }

    private static func parseSegments(_ text: String) throws(ResourcePatternError) -> [Segment] {
        func reject(_ reason: String) -> ResourcePatternError {
            ResourcePatternError(pattern: text, reason: reason)
        }
        guard !text.isEmpty else { throw reject("it is empty") }
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        var segments: [Segment] = []
        segments.reserveCapacity(pieces.count)
        for piece in pieces {
            segments.append(try parseSegment(piece, reject: reject))
        }
        guard case .literal(let root) = segments[0], PolicyVocabulary.resourceRoots.contains(root) else {
            let known = PolicyVocabulary.resourceRoots.joined(separator: ", ")
            throw reject("unknown root '\(pieces[0])'; a pattern starts with one of: \(known)")
        }
        return segments
    }

    private static func parseSegment(
        _ piece: Substring,
        reject: (String) -> ResourcePatternError
    ) throws(ResourcePatternError) -> Segment {
        switch piece {
        case "":
            throw reject("empty segment")
        case "*":
            return .anySegment
        case "**":
            return .anyDepth
        case ".", "..":
            throw reject("segment '\(piece)' is not allowed in a resource path")
        default:
            if piece.contains("*") {
                throw reject("partial wildcard '\(piece)'; use '*' or '**' as a whole segment")
            }
            if let bad = piece.unicodeScalars.first(where: { !($0.isASCII && ResourcePath.isSegmentByte(UInt8($0.value))) }) {
                throw reject("character '\(bad)' is not allowed in segment '\(piece)'")
            }
            return .literal(String(piece))
        }
    }
}
