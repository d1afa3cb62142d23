/// A validated transit key name: 1-128 characters of lowercase letters, digits, `.`, `_`, `-`,
/// starting with a letter or digit.
public struct TransitKeyName: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// Validates `raw`; throws `ServiceError.invalidInput` naming the rule it breaks.
    public init(_ raw: String) throws(ServiceError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (1...128).contains(raw.count), raw.allSatisfy(allowed.contains), let first = raw.first, first.isLetter || first.isNumber else {
            throw .invalidInput("a transit key name is 1-128 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit")
        }
        value = raw
    }

    /// The policy resource, `transit/<name>`.
    public var resource: String { "transit/" + value }

    public var description: String { value }
}
