/// Cross-checks a read document: references, service accounts mapped twice, `subset_of` proofs
/// and cycles, administrator lockout.
struct PolicyValidator {
    /// What reading produced.
    let draft: PolicyDraft

    /// Every problem of the draft: those found while reading, then the cross-checks. The subset
    /// proofs and the lockout check need a cleanly read document, so they run only when the
    /// other checks found nothing; otherwise a broken grant would be reported twice.
    func diagnostics() -> [PolicyDiagnostic] {
        let basic = draft.diagnostics + referenceProblems() + subsetCycleProblems() + serviceAccountProblems()
        guard basic.isEmpty else { return basic }
        return subsetProofProblems() + lockoutProblems()
    }

    private func referenceProblems() -> [PolicyDiagnostic] {
        draft.references.compactMap { reference in
            problem(with: reference).map {
                PolicyDiagnostic(location: reference.location, message: "\(reference.referrer) \($0)")
            }
        }
    }

    /// What is wrong with a reference, after its referrer: `names unknown role 'x'`.
    private func problem(with reference: PolicyReference) -> String? {
        let name = reference.name
        switch reference.target {
        case .role:
            return draft.declaredRoles.contains(name) ? nil : "names unknown role '\(name)'"
        case .identity:
            return draft.declaredIdentities.contains(name) ? nil : "names unknown identity '\(name)'"
        case .cluster, .kubernetesCluster:
            guard draft.declaredClusters.contains(name) else { return "names unknown cluster '\(name)'" }
            guard reference.target == .kubernetesCluster, !draft.kubernetesClusters.contains(name) else { return nil }
            return "names cluster '\(name)', which has no kubernetes issuer"
        }
    }

    /// One problem per `subset_of` cycle, at the `subset_of` of its first role in document order.
    private func subsetCycleProblems() -> [PolicyDiagnostic] {
        var reported: Set<String> = []
        var problems: [PolicyDiagnostic] = []
        for role in draft.policy.roles where !reported.contains(role.name) {
            guard let cycle = subsetCycle(startingAt: role.name) else { continue }
            reported.formUnion(cycle)
            let path = (cycle + [cycle[0]]).joined(separator: " -> ")
            let location = draft.subsetOfLocations[role.name] ?? role.location
            problems.append(PolicyDiagnostic(location: location, message: "subset_of cycle: \(path)"))
        }
        return problems
    }

    /// The roles of the cycle through `start`, beginning with it, if following `subset_of` returns to it.
    private func subsetCycle(startingAt start: String) -> [String]? {
        var path = [start]
        var current = start
        while let parent = draft.policy.role(named: current)?.subsetOf {
            if parent == start { return path }
            guard !path.contains(parent) else { return nil }
            path.append(parent)
            current = parent
        }
        return nil
    }
}
