/// The `provider` of `workload_identity` authentication, with the provider type it serves and
/// the keys its mapping takes.
enum WorkloadIdentityProvider: String, CaseIterable {
    case awsIRSA = "aws_irsa"
    case azureWorkloadIdentity = "azure_workload_identity"
    case gcpWorkloadIdentity = "gcp_workload_identity"
    case ibmTrustedProfile = "ibm_trusted_profile"
    case ibmAPIKey = "ibm_api_key"
    case ociResourcePrincipal = "oci_resource_principal"

    /// The only provider type the provider serves.
    var providerType: ProviderType {
        switch self {
        case .awsIRSA: .bedrock
        case .azureWorkloadIdentity: .azure
        case .gcpWorkloadIdentity: .vertex
        case .ibmTrustedProfile, .ibmAPIKey: .watsonx
        case .ociResourcePrincipal: .oci
        }
    }

    /// The keys of an `authentication` mapping with this provider, `type` and `provider` included.
    var keys: [String] {
        let specific: [String] = switch self {
        case .awsIRSA: ["role_arn", "session_name", "duration", "identity", "token_file", "audience", "endpoint"]
        case .azureWorkloadIdentity: ["tenant_id", "client_id", "scope", "identity", "token_file", "audience", "authority"]
        case .gcpWorkloadIdentity: ["audience", "service_account", "scope", "identity", "token_file", "sts_endpoint", "iam_endpoint"]
        case .ibmTrustedProfile: ["profile_id", "identity", "token_file", "audience", "endpoint"]
        case .ibmAPIKey: ["api_key_secret", "endpoint"]
        case .ociResourcePrincipal: ["session_token_file", "private_key_file"]
        }
        return ["type", "provider"] + specific
    }

    /// The providers that serve a provider type.
    static func serving(_ type: ProviderType) -> [WorkloadIdentityProvider] {
        allCases.filter { $0.providerType == type }
    }
}
