import QuartermasterCore
import QuartermasterStorage

/// The policy in force: its stored version, the parsed document and the compiled engine.
public struct ActivePolicy: Sendable {
    public let stored: StoredPolicy
    public let policy: Policy
    public let engine: PolicyEngine

    public var version: Int { stored.version }
}
