import Foundation

/// A transit ciphertext in its text form, `qm:v<version>:<base64 of nonce, ciphertext and tag>`:
/// the key version travels with the data, so decrypt knows which version to use and policy can
/// check it before any key is touched.
public struct TransitCiphertext: Sendable, Equatable, CustomStringConvertible {
    /// The key version that sealed it (1 or more).
    public let version: Int
    /// AES-GCM combined form: 12-byte nonce, ciphertext, 16-byte tag.
    public let sealed: Data

    /// The smallest sealed blob: a nonce and a tag around an empty plaintext.
    static let minimumSealedBytes = 12 + 16

    public init(version: Int, sealed: Data) {
        self.version = version
        self.sealed = sealed
    }

    /// Parses the text form; throws `TransitError.malformedCiphertext` for anything else.
    public init(parsing text: String) throws(TransitError) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "qm", parts[1].first == "v",
              let version = Int(parts[1].dropFirst()), version > 0, String(version) == parts[1].dropFirst(),
              let sealed = Data(base64Encoded: String(parts[2])), sealed.count >= Self.minimumSealedBytes
        else { throw .malformedCiphertext }
        self.init(version: version, sealed: sealed)
    }

    /// The text form.
    public var description: String { "qm:v\(version):" + sealed.base64EncodedString() }
}
