extension Grant {
    /// One readable line per (action, pattern) pair: `allow read secret/llm/** [cluster_id in prod-eu-1]`.
    public var accessTexts: [String] {
        actions.flatMap { action in
            resources.map { Self.accessText(effect, action, $0, conditions) }
        }
    }

    /// `allow read secret/llm/** [cluster_id in prod-eu-1]`; the brackets only when conditions exist.
    static func accessText(_ effect: GrantEffect, _ action: String, _ pattern: ResourcePattern, _ conditions: Conditions) -> String {
        let suffix = conditions.isEmpty ? "" : " [\(conditions)]"
        return "\(effect.rawValue) \(action) \(pattern.text)\(suffix)"
    }
}
