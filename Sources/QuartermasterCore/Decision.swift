/// The engine's answer: allowed or not, why in one sentence, and the deciding grant if one did.
///
/// JSON: `{"decision":"allow"|"deny","allowed":true|false,"reason":"...","grant":{...}|null}`.
public struct Decision: Codable, Sendable, Hashable {
    /// Whether the request is allowed.
    public let allowed: Bool
    /// A sentence explaining the answer.
    public let reason: String
    /// The grant that decided it; `nil` when denied by default.
    public let grant: GrantReference?

    /// Creates a decision.
    public init(allowed: Bool, reason: String, grant: GrantReference? = nil) {
        self.allowed = allowed
        self.reason = reason
        self.grant = grant
    }

    private enum CodingKeys: String, CodingKey {
        case decision, allowed, reason, grant
    }

    /// Encodes `decision`, `allowed`, `reason` and `grant` (null when absent).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(allowed ? "allow" : "deny", forKey: .decision)
        try container.encode(allowed, forKey: .allowed)
        try container.encode(reason, forKey: .reason)
        try container.encode(grant, forKey: .grant)
    }

    /// Decodes a decision; `allowed` falls back to `decision == "allow"` when absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let decision = try container.decodeIfPresent(String.self, forKey: .decision)
        allowed = try container.decodeIfPresent(Bool.self, forKey: .allowed) ?? (decision == "allow")
        reason = try container.decode(String.self, forKey: .reason)
        grant = try container.decodeIfPresent(GrantReference.self, forKey: .grant)
    }
}
