import Foundation
import Testing
import QuartermasterCore

@Suite("Parsing a valid policy document")
struct PolicyParserTests {
    static let document = """
    version: 1
    clusters:
      - id: prod-eu-1
        environment: production
        kubernetes:
          issuer: https://oidc.example.internal
          jwks_uri: https://oidc.example.internal/jwks
          audiences: [quartermaster]
    identities:
      - name: gateway-service
        kind: service
        description: The gateway.
        clusters: [prod-eu-1]
        roles: [gateway-proxy-keys]
    \(PolicyFixtures.adminIdentity)
    roles:
      - name: gateway-proxy-keys
        description: Proxy keys.
        grants:
          - actions: [read, list]
            resources: [secret/gateway/proxy-auth/**]
            conditions:
              cluster_id: prod-eu-1
              time_window: {after: "08:00", before: "18:00"}
          - effect: deny
            actions: [write]
            resources: [secret/gateway/**]
    \(PolicyFixtures.adminRole)
    """

    @Test("a valid document yields every element with its values")
    func readsEveryElement() throws {
        let policy = try PolicyFixtures.policy(Self.document)
        #expect(policy.version == 1)
        #expect(policy.sourceName == "policy.yaml")
        #expect(policy.clusters.map(\.id) == ["prod-eu-1"])
        let kubernetes = try #require(policy.cluster(id: "prod-eu-1")?.kubernetes)
        #expect(kubernetes.issuer == "https://oidc.example.internal")
        #expect(kubernetes.jwksURI == "https://oidc.example.internal/jwks")
        #expect(kubernetes.audiences == ["quartermaster"])
        let gateway = try #require(policy.identity(named: "gateway-service"))
        #expect(gateway.kind == .service)
        #expect(gateway.description == "The gateway.")
        #expect(gateway.clusters == ["prod-eu-1"])
        #expect(gateway.roles == ["gateway-proxy-keys"])
        let role = try #require(policy.role(named: "gateway-proxy-keys"))
        #expect(role.grants.map(\.effect) == [.allow, .deny])
        #expect(role.grants[0].actions == ["read", "list"])
        #expect(role.grants[0].resources.map(\.text) == ["secret/gateway/proxy-auth/**"])
        #expect(role.grants[0].conditions.clusterIDs == ["prod-eu-1"])
        #expect(role.grants[0].conditions.timeWindow?.description == "08:00-18:00 UTC")
        #expect(policy.identity(named: "nobody") == nil)
        #expect(policy.role(named: "nothing") == nil)
    }

    @Test("every element keeps the file, line and column where it starts")
    func keepsLocations() throws {
        let policy = try PolicyFixtures.policy(Self.document)
        #expect(policy.clusters[0].location.description == "policy.yaml:3:5")
        #expect(policy.clusters[0].kubernetes?.location.description == "policy.yaml:6:7")
        #expect(policy.identities[0].location.description == "policy.yaml:10:5")
        let role = try #require(policy.role(named: "gateway-proxy-keys"))
        #expect(role.location.description == "policy.yaml:19:5")
        #expect(role.grants[0].location.description == "policy.yaml:22:9")
        #expect(role.grants[0].resources[0].location?.description == "policy.yaml:23:21")
        #expect(role.grants[1].location.description == "policy.yaml:27:9")
    }

    @Test("optional fields default: allow, no conditions, no clusters, no roles")
    func defaults() throws {
        let policy = try PolicyFixtures.policy("""
        version: 1
        identities:
        \(PolicyFixtures.adminIdentity)
        roles:
        \(PolicyFixtures.adminRole)
        """)
        #expect(policy.clusters.isEmpty)
        let admin = try #require(policy.identity(named: "admin"))
        #expect(admin.clusters.isEmpty)
        #expect(admin.description == nil)
        let grant = try #require(policy.role(named: "admin")?.grants.first)
        #expect(grant.effect == .allow)
        #expect(grant.conditions.isEmpty)
    }

    @Test("the example policy shipped with the project is valid")
    func examplePolicyIsValid() throws {
        let policy = try PolicyParser.parse(yaml: try ExamplePolicy.text(), sourceName: "examples/policy.yaml")
        #expect(policy.identities.count == 11)
    }
}
