import Testing
import QuartermasterCore

@Suite("Identity token settings, Kubernetes service accounts and delegation")
struct IdentitySettingsTests {
    static let document = """
    version: 1
    clusters:
      - id: prod-eu-1
        environment: production
        kubernetes:
          issuer: https://oidc.prod-eu-1.example.internal
      - id: staging-1
        environment: staging
        kubernetes:
          issuer: https://oidc.staging-1.example.internal
      - {id: ci-1, environment: ci}
    identities:
      - name: orchestrator-service
        kind: service
        token:
          ttl: 1h30m
          audiences: [quartermaster, sts.amazonaws.com]
        kubernetes:
          - cluster: prod-eu-1
            namespace: ai
            service_account: orchestrator
          - {cluster: staging-1, namespace: ai-staging, service_account: orchestrator}
      - name: worker-service
        kind: service
        token: {ttl: 30s}
        may_act_for: [orchestrator-service, gateway-service]
      - name: gateway-service
        kind: service
        token: {audiences: [gateway]}
    \(PolicyFixtures.adminIdentity)
    roles:
    \(PolicyFixtures.adminRole)
    """

    @Test("token settings: ttl, audiences, their defaults and the conveniences")
    func tokenSettings() throws {
        let policy = try PolicyFixtures.policy(Self.document)
        let orchestrator = try #require(policy.identity(named: "orchestrator-service"))
        #expect(orchestrator.token == TokenSettings(
            ttl: .seconds(5400),
            audiences: ["quartermaster", "sts.amazonaws.com"],
            location: SourceLocation(file: "policy.yaml", line: 16, column: 7)
        ))
        #expect(orchestrator.tokenTTL == .seconds(5400))
        #expect(orchestrator.allowedAudiences == ["quartermaster", "sts.amazonaws.com"])
        let worker = try #require(policy.identity(named: "worker-service"))
        #expect(worker.token?.audiences == ["quartermaster"])
        #expect(worker.tokenTTL == .seconds(30))
        let gateway = try #require(policy.identity(named: "gateway-service"))
        #expect(gateway.tokenTTL == nil)
        #expect(gateway.allowedAudiences == ["gateway"])
        let admin = try #require(policy.identity(named: "admin"))
        #expect(admin.token == nil)
        #expect(admin.tokenTTL == nil)
        #expect(admin.allowedAudiences == ["quartermaster"])
        #expect(admin.kubernetesServiceAccounts.isEmpty)
        #expect(admin.mayActFor.isEmpty)
    }

    @Test("kubernetes entries keep cluster, namespace, service account and location")
    func kubernetesServiceAccounts() throws {
        let policy = try PolicyFixtures.policy(Self.document)
        let accounts = try #require(policy.identity(named: "orchestrator-service")).kubernetesServiceAccounts
        #expect(accounts.map(\.cluster) == ["prod-eu-1", "staging-1"])
        #expect(accounts.map(\.namespace) == ["ai", "ai-staging"])
        #expect(accounts.map(\.serviceAccount) == ["orchestrator", "orchestrator"])
        #expect(accounts.map(\.location.description) == ["policy.yaml:19:9", "policy.yaml:22:9"])
        #expect(accounts.map(\.description) == ["prod-eu-1/ai/orchestrator", "staging-1/ai-staging/orchestrator"])
    }

    @Test("a verified service account finds its identity; anything else finds none")
    func identityForServiceAccount() throws {
        let policy = try PolicyFixtures.policy(Self.document)
        #expect(policy.identity(forCluster: "prod-eu-1", namespace: "ai", serviceAccount: "orchestrator")?.name == "orchestrator-service")
        #expect(policy.identity(forCluster: "staging-1", namespace: "ai-staging", serviceAccount: "orchestrator")?.name == "orchestrator-service")
        #expect(policy.identity(forCluster: "staging-1", namespace: "ai", serviceAccount: "orchestrator") == nil)
        #expect(policy.identity(forCluster: "prod-eu-1", namespace: "ai", serviceAccount: "worker") == nil)
        #expect(policy.identity(forCluster: "prod-eu-2", namespace: "ai", serviceAccount: "orchestrator") == nil)
    }

    @Test("a cluster is found by its exact issuer URL")
    func clusterForIssuer() throws {
        let policy = try PolicyFixtures.policy(Self.document)
        #expect(policy.cluster(issuer: "https://oidc.prod-eu-1.example.internal")?.id == "prod-eu-1")
        #expect(policy.cluster(issuer: "https://oidc.staging-1.example.internal")?.id == "staging-1")
        #expect(policy.cluster(issuer: "https://oidc.prod-eu-1.example.internal/") == nil)
        #expect(policy.cluster(issuer: "https://OIDC.prod-eu-1.example.internal") == nil)
        #expect(policy.cluster(issuer: "") == nil)
    }

    @Test("may_act_for lets an identity act for those it lists, and nothing else")
    func delegation() throws {
        let policy = try PolicyFixtures.policy(Self.document)
        #expect(policy.identity(named: "worker-service")?.mayActFor == ["orchestrator-service", "gateway-service"])
        #expect(policy.mayAct("worker-service", for: "orchestrator-service"))
        #expect(policy.mayAct("worker-service", for: "gateway-service"))
        #expect(!policy.mayAct("orchestrator-service", for: "worker-service"))
        #expect(!policy.mayAct("worker-service", for: "worker-service"))
        #expect(!policy.mayAct("worker-service", for: "admin"))
        #expect(!policy.mayAct("nobody", for: "orchestrator-service"))
    }

    @Test("a policy built in code answers the same lookups, the first mapping winning")
    func policyBuiltInCode() {
        let here = SourceLocation(file: "code", line: 1, column: 1)
        let account = KubernetesServiceAccount(cluster: "c", namespace: "n", serviceAccount: "s", location: here)
        let policy = Policy(
            clusters: [Cluster(id: "c", environment: "dev", kubernetes: KubernetesIssuer(issuer: "https://c.example", location: here), location: here)],
            identities: [
                Identity(name: "a", kind: .service, kubernetesServiceAccounts: [account], location: here),
                Identity(name: "b", kind: .service, kubernetesServiceAccounts: [account], mayActFor: ["a", "ghost"], location: here),
            ],
            roles: [],
            sourceName: "code"
        )
        #expect(policy.identity(forCluster: "c", namespace: "n", serviceAccount: "s")?.name == "a")
        #expect(policy.cluster(issuer: "https://c.example")?.id == "c")
        #expect(policy.mayAct("b", for: "a"))
        #expect(!policy.mayAct("b", for: "ghost"))
    }

    @Test("examples/policy.yaml maps each seed-000 service to its service account in prod-eu-1")
    func examplePolicy() throws {
        let policy = try PolicyParser.parse(yaml: try ExamplePolicy.text(), sourceName: ExamplePolicy.relativePath)
        let services = [
            ("gateway-service", "gateway"), ("orchestrator-service", "orchestrator"), ("worker-service", "worker"),
            ("llm-runtime-service", "llm-runtime"), ("vector-client-service", "vector-client"),
            ("telemetry-collector", "telemetry-collector"),
        ]
        for (name, serviceAccount) in services {
            let identity = policy.identity(forCluster: "prod-eu-1", namespace: "ai", serviceAccount: serviceAccount)
            #expect(identity?.name == name)
            #expect(identity?.tokenTTL == .seconds(15 * 60))
            let withSTS = name == "orchestrator-service" || name == "llm-runtime-service"
            #expect(identity?.allowedAudiences == (withSTS ? ["quartermaster", "sts.amazonaws.com"] : ["quartermaster"]))
        }
        #expect(policy.cluster(issuer: "https://oidc.prod-eu-1.k8s.example.internal")?.id == "prod-eu-1")
        #expect(policy.mayAct("worker-service", for: "orchestrator-service"))
        #expect(!policy.mayAct("orchestrator-service", for: "worker-service"))
        #expect(policy.identities.filter { !$0.mayActFor.isEmpty }.map(\.name) == ["worker-service"])
    }
}
