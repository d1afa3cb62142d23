/// One change to how an identity authenticates, receives tokens or delegates, between two
/// policies: `+ kubernetes prod-eu-1/ai/orchestrator`, `~ token ttl 15m -> 5m`.
public struct IdentitySettingChange: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Which setting changed.
    public enum Setting: String, Codable, Sendable, Hashable {
        /// A Kubernetes service account that authenticates as the identity, `cluster/namespace/name`.
        case kubernetes
        /// An identity this one may act for.
        case mayActFor = "may_act_for"
        /// An audience the identity's tokens may carry.
        case tokenAudience = "token_audience"
        /// The default lifetime of the identity's tokens, `default` when left to the issuer.
        case tokenTTL = "token_ttl"
    }

    /// Added, removed, or (for the token lifetime) changed.
    public let status: IdentityAccessChange.Status
    /// Which setting.
    public let setting: Setting
    /// The proposed value, or the removed one.
    public let value: String
    /// The current value, for a changed setting only.
    public let previous: String?

    /// Creates a setting change.
    public init(status: IdentityAccessChange.Status, setting: Setting, value: String, previous: String? = nil) {
        self.status = status
        self.setting = setting
        self.value = value
        self.previous = previous
    }

    /// `+ may act for orchestrator-service`, `~ token ttl 15m -> 5m`.
    public var description: String {
        let label = switch setting {
        case .kubernetes: "kubernetes"
        case .mayActFor: "may act for"
        case .tokenAudience: "token audience"
        case .tokenTTL: "token ttl"
        }
        return "\(status.marker) \(label) \(previous.map { "\($0) -> " } ?? "")\(value)"
    }
}
