/// The kind of AI provider an instance reaches, which decides the authentication methods that fit it.
public enum ProviderType: String, Sendable, Hashable, Codable, CaseIterable {
    /// AWS Bedrock.
    case bedrock
    /// Azure OpenAI.
    case azure
    /// Google Vertex AI.
    case vertex
    /// IBM watsonx.ai.
    case watsonx
    /// Oracle Cloud Infrastructure Generative AI.
    case oci
    /// OpenAI.
    case openai
    /// Anthropic.
    case anthropic

    /// Whether the provider has a native workload identity (`workload_identity` authentication);
    /// OpenAI and Anthropic only take API keys, from Vault (`vault_dynamic`) or our store (`static`).
    public var supportsWorkloadIdentity: Bool {
        switch self {
        case .bedrock, .azure, .vertex, .watsonx, .oci: true
        case .openai, .anthropic: false
        }
    }
}
