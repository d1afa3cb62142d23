import QuartermasterCore

/// Token scopes: space-separated `action:resource-pattern` entries, e.g. `read:secret/llm/**`.
/// A scope only narrows what the identity's policy already allows.
public enum TokenScope {
    /// Splits a `scope` parameter; nil for an absent or empty parameter.
    public static func parse(_ text: String?) -> [String]? {
        guard let text else { return nil }
        let entries = text.split(separator: " ").map(String.init)
        return entries.isEmpty ? nil : entries
    }

    /// Throws `invalidInput` unless every entry is `action:pattern` with a valid pattern.
    public static func validate(_ entries: [String]) throws {
        for entry in entries {
            guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex,
                  (try? ResourcePattern(String(entry[entry.index(after: colon)...]))) != nil
            else {
                throw ServiceError.invalidInput("scope entry \"\(entry)\" is not action:resource-pattern")
            }
        }
    }

    /// True when every entry of `requested` is covered by some entry of `granted`.
    public static func narrows(_ requested: [String], within granted: [String]) -> Bool {
        requested.allSatisfy { wanted in
            guard let (action, pattern) = split(wanted) else { return false }
            return granted.contains { have in
                guard let (haveAction, havePattern) = split(have) else { return false }
                return (haveAction == "*" || haveAction == action) && havePattern.covers(pattern)
            }
        }
    }

    /// True when the policy allows `subject` every action:pattern of `requested` (checked on
    /// the pattern's literal prefix: wildcard scopes must be covered by an identity grant).
    public static func allowedByPolicy(_ requested: [String], subject: String, policy: Policy) -> Bool {
        guard let identity = policy.identity(named: subject) else { return false }
        let grants = policy.roles(of: identity).flatMap(\.grants).filter { $0.effect == .allow }
        return requested.allSatisfy { wanted in
            guard let (action, pattern) = split(wanted) else { return false }
            return grants.contains { grant in
                grant.covers(action: action) && grant.resources.contains { $0.covers(pattern) }
            }
        }
    }

    private static func split(_ entry: String) -> (String, ResourcePattern)? {
        guard let colon = entry.firstIndex(of: ":"),
              let pattern = try? ResourcePattern(String(entry[entry.index(after: colon)...]))
        else { return nil }
        return (String(entry[..<colon]), pattern)
    }
}
