/// The fixed words a policy may use: actions and resource roots.
public enum PolicyVocabulary: Sendable {
    /// Every action a grant may name; `*` stands for all of them.
    public static let actions: [String] = [
        "read", "list", "write", "delete", "create", "update",
        "encrypt", "decrypt", "rewrap", "rotate",
        "issue", "exchange", "register", "invoke", "act_as", "*",
    ]

    /// The first segment of every resource pattern.
    public static let resourceRoots: [String] = [
        "secret", "provider", "transit", "database", "sys", "identity",
        "queue", "repo", "deploy", "iam", "storage", "ci",
    ]

    /// The action that stands for every action.
    public static let anyAction = "*"
}
