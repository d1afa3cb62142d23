import QuartermasterCore
import Testing

@Suite("Example policy: the LLM runtime reads model-provider credentials and nothing else")
struct ExampleProviderAccessTests {
    @Test("llm-runtime and orchestrator may read a provider instance's credential; the runtime may not read other provider paths; the gateway may read none", arguments: [
        ("llm-runtime-service", "provider/bedrock_us1", true),
        ("orchestrator-service", "provider/anthropic_local", true),
        ("llm-runtime-service", "provider/google/apis/vertex", false),
        ("llm-runtime-service", "provider/apns/key", false),
        ("gateway-service", "provider/bedrock_us1", false),
        ("worker-service", "provider/bedrock_us1", false),
    ])
    func providerReads(subject: String, resource: String, allowed: Bool) throws {
        let engine = PolicyEngine(policy: try PolicyParser.parse(yaml: try ExamplePolicy.text(), sourceName: "examples/policy.yaml"))
        #expect(engine.decide(AuthorizationRequest(subject: subject, action: "read", resource: resource)).allowed == allowed)
    }
}
