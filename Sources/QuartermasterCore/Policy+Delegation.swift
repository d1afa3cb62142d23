extension Policy {
    /// Whether `actor` may act on behalf of `subject` (RFC 8693 delegation): both identities
    /// exist, differ, and the actor's `may_act_for` lists the subject.
    public func mayAct(_ actor: String, for subject: String) -> Bool {
        guard actor != subject, identity(named: subject) != nil else { return false }
        return identity(named: actor)?.mayActFor.contains(subject) ?? false
    }
}
