/// Whether a grant permits or forbids what it matches.
public enum GrantEffect: String, Sendable, Hashable, Codable, CaseIterable {
    /// Permits the matched requests unless an applicable deny exists.
    case allow
    /// Forbids the matched requests, overriding any allow.
    case deny
}
