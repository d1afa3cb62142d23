/// The provider instances of a `provider-instances.yaml`, as `ProviderInstancesParser` returns
/// them: only ever a fully valid file.
public struct ProviderInstances: Sendable, Hashable {
    /// The instances, sorted by name; empty when the file configures no provider.
    public let instances: [ProviderInstance]
    /// The name the file was loaded under.
    public let sourceName: String

    /// Creates the set; instances are sorted by name.
    public init(instances: [ProviderInstance], sourceName: String) {
        self.instances = instances.sorted { $0.name < $1.name }
        self.sourceName = sourceName
    }

    /// The instance with this name, if any.
    public func instance(named name: String) -> ProviderInstance? {
        instances.first { $0.name == name }
    }
}
