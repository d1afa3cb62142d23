/// How Quartermaster obtains credentials for one provider instance: the `authentication`
/// mapping of `provider-instances.yaml`, one case per method.
public enum ProviderAuthentication: Sendable, Hashable {
    /// `workload_identity` with provider `aws_irsa` (Bedrock).
    case awsWebIdentity(AWSWebIdentityConfig)
    /// `workload_identity` with provider `azure_workload_identity` (Azure OpenAI).
    case azureWorkloadIdentity(AzureWorkloadIdentityConfig)
    /// `workload_identity` with provider `gcp_workload_identity` (Vertex AI).
    case gcpWorkloadIdentity(GCPWorkloadIdentityConfig)
    /// `workload_identity` with provider `ibm_trusted_profile` (watsonx.ai).
    case ibmTrustedProfile(IBMTrustedProfileConfig)
    /// `workload_identity` with provider `ibm_api_key` (watsonx.ai).
    case ibmAPIKey(IBMAPIKeyConfig)
    /// `workload_identity` with provider `oci_resource_principal` (OCI Generative AI).
    case ociResourcePrincipal(OCIResourcePrincipalConfig)
    /// `vault_dynamic`: an API key read again periodically from Vault or our store.
    case vaultDynamic(VaultDynamicConfig)
    /// `static`: a long-lived API key in our secret store.
    case staticSecret(StaticSecretConfig)

    /// The method as a metrics label: `aws_irsa`, `azure_workload_identity`,
    /// `gcp_workload_identity`, `ibm_trusted_profile`, `ibm_api_key`, `oci_resource_principal`,
    /// `vault_dynamic`, `quartermaster_store` (a `vault_dynamic` key in our own store) or `static`.
    public var method: String {
        switch self {
        case .awsWebIdentity: "aws_irsa"
        case .azureWorkloadIdentity: "azure_workload_identity"
        case .gcpWorkloadIdentity: "gcp_workload_identity"
        case .ibmTrustedProfile: "ibm_trusted_profile"
        case .ibmAPIKey: "ibm_api_key"
        case .ociResourcePrincipal: "oci_resource_principal"
        case .vaultDynamic(let config):
            switch config.store {
            case .vault: "vault_dynamic"
            case .quartermaster: "quartermaster_store"
            }
        case .staticSecret: "static"
        }
    }

    /// Whether the least-privilege review flags the method as weak: a long-lived key that
    /// nothing rotates (`static`).
    public var isWeak: Bool {
        if case .staticSecret = self { return true }
        return false
    }
}
