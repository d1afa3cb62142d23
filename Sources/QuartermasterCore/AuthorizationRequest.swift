/// A question for the policy engine: may `subject` perform `action` on `resource` in `context`?
///
/// Context keys are condition keys (`cluster_id`, `environment`, `namespace`,
/// `attestation_measurement`, `key_version`), plus `source_ip` for `source_cidr` and `time`
/// (RFC 3339) for `time_window`.
public struct AuthorizationRequest: Codable, Sendable, Hashable {
    /// The identity asking.
    public var subject: String
    /// The action, such as `read`.
    public var action: String
    /// The concrete resource path, such as `secret/llm/openai`.
    public var resource: String
    /// Verified attributes of the request; empty when absent from JSON.
    public var context: [String: String]

    /// Creates a request.
    public init(subject: String, action: String, resource: String, context: [String: String] = [:]) {
        self.subject = subject
        self.action = action
        self.resource = resource
        self.context = context
    }

    private enum CodingKeys: String, CodingKey {
        case subject, action, resource, context
    }

    /// Decodes a request; `context` may be omitted.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subject = try container.decode(String.self, forKey: .subject)
        action = try container.decode(String.self, forKey: .action)
        resource = try container.decode(String.self, forKey: .resource)
        context = try container.decodeIfPresent([String: String].self, forKey: .context) ?? [:]
    }
}
