import Yams

/// Walks a composed YAML tree into the policy model, collecting every problem on the way.
struct PolicyDocumentReader: DocumentReading {
    /// The name the document was loaded under.
    let sourceName: String
    var diagnostics: [PolicyDiagnostic] = []
    private(set) var references: [PolicyReference] = []
    var declaredRoles: Set<String> = []
    var declaredClusters: Set<String> = []
    var declaredIdentities: Set<String> = []
    var kubernetesClusters: Set<String> = []
    var subsetOfLocations: [String: SourceLocation] = [:]

    init(sourceName: String) {
        self.sourceName = sourceName
    }

    /// Records a name that must be defined elsewhere.
    mutating func expect(_ target: PolicyReference.Target, named name: String, by referrer: String, at node: Node) {
        references.append(PolicyReference(target: target, name: name, referrer: referrer, location: location(of: node)))
    }
}
