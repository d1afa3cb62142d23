/// Attribute conditions on a grant; every present condition must hold. Absent means unconstrained.
public struct Conditions: Sendable, Hashable {
    /// `cluster_id`: the caller's cluster must be one of these.
    public let clusterIDs: [String]?
    /// `environment`: the caller's environment must be one of these.
    public let environments: [String]?
    /// `namespace`: the caller's namespace must be one of these.
    public let namespaces: [String]?
    /// `time_window`: the request time must fall in this daily UTC window.
    public let timeWindow: TimeWindow?
    /// `source_cidr`: the caller's address must lie in one of these networks.
    public let sourceCIDRs: [CIDRBlock]?
    /// `attestation_measurement`: the caller's attested measurement must be one of these.
    public let attestationMeasurements: [String]?
    /// `key_version`: the requested key version must be one of these.
    public let keyVersions: [String]?

    /// Creates conditions; omitted ones are unconstrained.
    public init(
        clusterIDs: [String]? = nil,
        environments: [String]? = nil,
        namespaces: [String]? = nil,
        timeWindow: TimeWindow? = nil,
        sourceCIDRs: [CIDRBlock]? = nil,
        attestationMeasurements: [String]? = nil,
        keyVersions: [String]? = nil
    ) {
        self.clusterIDs = clusterIDs
        self.environments = environments
        self.namespaces = namespaces
        self.timeWindow = timeWindow
        self.sourceCIDRs = sourceCIDRs
        self.attestationMeasurements = attestationMeasurements
        self.keyVersions = keyVersions
    }

    /// The keys that are present.
    public var keys: [ConditionKey] {
        ConditionKey.allCases.filter(isPresent)
    }

    /// Whether no condition is present.
    public var isEmpty: Bool { keys.isEmpty }

    /// Whether the condition for this key is present.
    public func isPresent(_ key: ConditionKey) -> Bool {
        switch key {
        case .clusterID: clusterIDs != nil
        case .environment: environments != nil
        case .namespace: namespaces != nil
        case .timeWindow: timeWindow != nil
        case .sourceCIDR: sourceCIDRs != nil
        case .attestationMeasurement: attestationMeasurements != nil
        case .keyVersion: keyVersions != nil
        }
    }

    /// The accepted values of a list-valued key; `nil` for absent keys and for time and network keys.
    func acceptedValues(_ key: ConditionKey) -> [String]? {
        switch key {
        case .clusterID: clusterIDs
        case .environment: environments
        case .namespace: namespaces
        case .attestationMeasurement: attestationMeasurements
        case .keyVersion: keyVersions
        case .timeWindow, .sourceCIDR: nil
        }
    }
}
