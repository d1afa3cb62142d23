import QuartermasterCore

/// A secret's path below `secret/`, checked before anything else looks at it.
public struct SecretPath: Sendable, Equatable, CustomStringConvertible {
    /// Longest path accepted, in bytes.
    public static let maxLength = 512

    public let value: String

    /// Validates the raw path text of a request (still percent-encoded as the client sent it):
    /// refuses empty segments (`//`), `.` and `..`, any percent-encoding (an encoded slash or
    /// NUL would otherwise smuggle structure past the router), and characters a resource path
    /// may not hold.
    public init(raw: String, allowFolder: Bool = false) throws(ServiceError) {
        var text = raw
        if allowFolder, text.hasSuffix("/") { text.removeLast() }
        guard !text.isEmpty else { throw .invalidInput("the secret path is empty") }
        guard text.utf8.count <= Self.maxLength else { throw .invalidInput("the secret path is longer than \(Self.maxLength) bytes") }
        guard !text.utf8.contains(UInt8(ascii: "%")) else { throw .invalidInput("the secret path may not contain percent-encoded characters") }
        let segments = text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0.isEmpty }) else { throw .invalidInput("the secret path has an empty segment") }
        guard !segments.contains(where: { $0.elementsEqual(".".utf8) || $0.elementsEqual("..".utf8) }) else {
            throw .invalidInput("the secret path may not contain . or .. segments")
        }
        guard ResourcePath.isValid("secret/" + text) else { throw .invalidInput("the secret path has characters outside A-Z a-z 0-9 . _ : @ = + -") }
        value = text
    }

    /// The policy resource, `secret/PATH`.
    public var resource: String { "secret/" + value }

    public var description: String { value }
}
