extension PolicyValidator {
    /// Reports each Kubernetes service account mapped a second time, to the same identity or
    /// another: a verified token must authenticate as exactly one identity.
    func serviceAccountProblems() -> [PolicyDiagnostic] {
        var owners: [ServiceAccountKey: (identity: String, location: SourceLocation)] = [:]
        var problems: [PolicyDiagnostic] = []
        for identity in draft.policy.identities {
            for account in identity.kubernetesServiceAccounts {
                guard let owner = owners[account.key] else {
                    owners[account.key] = (identity.name, account.location)
                    continue
                }
                problems.append(PolicyDiagnostic(
                    location: account.location,
                    message: "kubernetes service account \(account) of identity '\(identity.name)' is already mapped to identity '\(owner.identity)' at \(owner.location)"
                ))
            }
        }
        return problems
    }
}
