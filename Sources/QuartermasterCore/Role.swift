/// A named set of grants that identities hold.
public struct Role: Sendable, Hashable {
    /// The unique name.
    public let name: String
    /// Free text for readers.
    public let description: String?
    /// A role this one is proven, at validation, to never exceed.
    public let subsetOf: String?
    /// The grants, in document order.
    public let grants: [Grant]
    /// Where the role's mapping starts.
    public let location: SourceLocation

    /// Creates a role.
    public init(name: String, description: String? = nil, subsetOf: String? = nil, grants: [Grant], location: SourceLocation) {
        self.name = name
        self.description = description
        self.subsetOf = subsetOf
        self.grants = grants
        self.location = location
    }
}
