/// What reading a document produced, before cross-checks: the model plus what validation needs.
struct PolicyDraft: Sendable {
    /// The model built from every element that could be read.
    var policy: Policy
    /// Problems found while reading.
    var diagnostics: [PolicyDiagnostic]
    /// Names used that must be defined elsewhere.
    var references: [PolicyReference]
    /// Every role name written, including roles that failed to read.
    var declaredRoles: Set<String>
    /// Every cluster id written, including clusters that failed to read.
    var declaredClusters: Set<String>
    /// Every identity name written, including identities that failed to read.
    var declaredIdentities: Set<String>
    /// Every cluster id written with a `kubernetes` issuer, including issuers that failed to read.
    var kubernetesClusters: Set<String>
    /// Where each role's `subset_of` value is written.
    var subsetOfLocations: [String: SourceLocation]
    /// Where document-wide problems are reported.
    var documentLocation: SourceLocation
}
