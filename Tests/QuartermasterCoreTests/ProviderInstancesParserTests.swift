import Foundation
import QuartermasterCore
import Testing

@Suite("Parsing provider-instances.yaml into typed provider instances")
struct ProviderInstancesParserTests {
    typealias Fixtures = ProviderInstancesFixtures

    @Test("aws_irsa with an identity takes the session name, duration, audience and endpoint defaults")
    func awsIRSADefaults() throws {
        let instance = try #require(try Fixtures.instance(Fixtures.document(type: "bedrock", authentication: """
        type: workload_identity
        provider: aws_irsa
        role_arn: arn:aws:iam::123456789012:role/llm-proxy
        identity: gateway-service
        """)))
        #expect(instance.name == "test")
        #expect(instance.type == .bedrock)
        #expect(instance.region == nil)
        #expect(instance.refresh == RefreshSettings())
        #expect(instance.method == "aws_irsa")
        #expect(!instance.isWeak)
        #expect(instance.location == SourceLocation(file: "provider-instances.yaml", line: 2, column: 3))
        #expect(instance.authentication == .awsWebIdentity(AWSWebIdentityConfig(
            roleARN: "arn:aws:iam::123456789012:role/llm-proxy",
            sessionName: "quartermaster",
            duration: .seconds(3600),
            source: .identity(name: "gateway-service", audience: "sts.amazonaws.com"),
            endpoint: "https://sts.amazonaws.com"
        )))
    }

    @Test("aws_irsa with a token file and every value written keeps what is written")
    func awsIRSAExplicit() throws {
        let instance = try #require(try Fixtures.instance("""
        instances:
          test:
            type: bedrock
            region: us-east-1
            authentication:
              type: workload_identity
              provider: aws_irsa
              role_arn: arn:aws-us-gov:iam::123456789012:role/llm
              session_name: qm@gateway
              duration: 12h
              token_file: /var/run/secrets/eks.amazonaws.com/serviceaccount/token
              endpoint: http://127.0.0.1:4566
        """))
        #expect(instance.region == "us-east-1")
        guard case .awsWebIdentity(let config) = instance.authentication else {
            Issue.record("expected aws_irsa, found \(instance.authentication)")
            return
        }
        #expect(config.roleARN == "arn:aws-us-gov:iam::123456789012:role/llm")
        #expect(config.sessionName == "qm@gateway")
        #expect(config.duration == .seconds(12 * 3600))
        #expect(config.source == .tokenFile(path: "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"))
        #expect(config.endpoint == "http://127.0.0.1:4566")
    }

    @Test("azure_workload_identity takes the Cognitive Services scope, the token exchange audience and the public authority")
    func azureDefaults() throws {
        let instance = try #require(try Fixtures.instance(Fixtures.document(type: "azure", authentication: """
        type: workload_identity
        provider: azure_workload_identity
        tenant_id: 11111111-2222-3333-4444-555555555555
        client_id: AAAAAAAA-bbbb-CCCC-dddd-EEEEEEEEEEEE
        identity: gateway-service
        """)))
        #expect(instance.method == "azure_workload_identity")
        #expect(instance.authentication == .azureWorkloadIdentity(AzureWorkloadIdentityConfig(
            tenantID: "11111111-2222-3333-4444-555555555555",
            clientID: "AAAAAAAA-bbbb-CCCC-dddd-EEEEEEEEEEEE",
            scope: "https://cognitiveservices.azure.com/.default",
            source: .identity(name: "gateway-service", audience: "api://AzureADTokenExchange"),
            authority: "https://login.microsoftonline.com"
        )))
    }

    @Test("gcp_workload_identity mints identity tokens for the pool provider and takes the Google defaults")
    func gcpDefaults() throws {
        let pool = "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/pool/providers/prov"
        let instance = try #require(try Fixtures.instance(Fixtures.document(type: "vertex", authentication: """
        type: workload_identity
        provider: gcp_workload_identity
        audience: \(pool)
        identity: gateway-service
        """)))
        #expect(instance.method == "gcp_workload_identity")
        #expect(instance.authentication == .gcpWorkloadIdentity(GCPWorkloadIdentityConfig(
            audience: pool,
            serviceAccount: nil,
            scope: "https://www.googleapis.com/auth/cloud-platform",
            source: .identity(name: "gateway-service", audience: pool),
            stsEndpoint: "https://sts.googleapis.com/v1/token",
            iamEndpoint: "https://iamcredentials.googleapis.com"
        )))
    }

    @Test("gcp_workload_identity with a service account to impersonate and a token file")
    func gcpImpersonation() throws {
        let instance = try #require(try Fixtures.instance(Fixtures.document(type: "vertex", authentication: """
        type: workload_identity
        provider: gcp_workload_identity
        audience: //iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q
        service_account: llm@proj.iam.gserviceaccount.com
        token_file: /var/run/secrets/tokens/gcp
        """)))
        guard case .gcpWorkloadIdentity(let config) = instance.authentication else {
            Issue.record("expected gcp_workload_identity, found \(instance.authentication)")
            return
        }
        #expect(config.serviceAccount == "llm@proj.iam.gserviceaccount.com")
        #expect(config.source == .tokenFile(path: "/var/run/secrets/tokens/gcp"))
    }

    @Test("ibm_trusted_profile takes the public IAM endpoint and mints identity tokens for audience iam")
    func ibmTrustedProfileDefaults() throws {
        let instance = try #require(try Fixtures.instance(Fixtures.document(type: "watsonx", authentication: """
        type: workload_identity
        provider: ibm_trusted_profile
        profile_id: Profile-1234
        identity: gateway-service
        """)))
        #expect(instance.method == "ibm_trusted_profile")
        #expect(instance.authentication == .ibmTrustedProfile(IBMTrustedProfileConfig(
            profileID: "Profile-1234",
            source: .identity(name: "gateway-service", audience: "iam"),
            endpoint: "https://iam.cloud.ibm.com"
        )))
    }

    @Test("ibm_api_key names a secret in our store and takes the public IAM endpoint")
    func ibmAPIKeyDefaults() throws {
        let instance = try #require(try Fixtures.instance(Fixtures.document(type: "watsonx", authentication: """
        type: workload_identity
        provider: ibm_api_key
        api_key_secret: ibm/watsonx
        """)))
        #expect(instance.method == "ibm_api_key")
        #expect(instance.authentication == .ibmAPIKey(IBMAPIKeyConfig(apiKeySecret: "ibm/watsonx", endpoint: "https://iam.cloud.ibm.com")))
        #expect(IBMAPIKeyConfig.field == "api_key")
        #expect(!instance.isWeak)
    }

    @Test("oci_resource_principal reads the session token and private key files")
    func ociResourcePrincipal() throws {
        let instance = try #require(try Fixtures.instance("""
        instances:
          test:
            type: oci
            region: us-ashburn-1
            authentication:
              type: workload_identity
              provider: oci_resource_principal
              session_token_file: /var/run/secrets/oci/rpst
              private_key_file: /var/run/secrets/oci/private.pem
        """))
        #expect(instance.region == "us-ashburn-1")
        #expect(instance.method == "oci_resource_principal")
        #expect(instance.authentication == .ociResourcePrincipal(OCIResourcePrincipalConfig(
            sessionTokenFile: "/var/run/secrets/oci/rpst",
            privateKeyFile: "/var/run/secrets/oci/private.pem"
        )))
    }

    @Test("vault_dynamic defaults to store vault, field key, kv_mount secret, and the auth method's mount and token path")
    func vaultDynamicKubernetesDefaults() throws {
        let instance = try #require(try Fixtures.instance(Fixtures.document(type: "openai", authentication: """
        type: vault_dynamic
        vault_path: secret/openai/api-key
        refresh_interval: 1h
        vault:
          address: https://vault.internal:8200
          auth: kubernetes
          role: llmproxy
        """)))
        #expect(instance.method == "vault_dynamic")
        #expect(!instance.isWeak)
        let connection = VaultConnection(
            address: "https://vault.internal:8200",
            auth: .kubernetes(role: "llmproxy", mount: "kubernetes", tokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token"),
            kvMount: "secret"
        )
        #expect(instance.authentication == .vaultDynamic(VaultDynamicConfig(
            path: "secret/openai/api-key", field: "key", refreshInterval: .seconds(3600), store: .vault(connection)
        )))
        #expect(connection.auth.name == "kubernetes")
        #expect(connection.auth.mount == "kubernetes")
    }

    @Test("vault_dynamic with jwt and approle logins, each mount defaulting to the method's name unless written")
    func vaultDynamicOtherLogins() throws {
        let instances = try Fixtures.instances("""
        instances:
          jwt:
            type: anthropic
            authentication:
              type: vault_dynamic
              vault_path: secret/anthropic
              field: api_key
              refresh_interval: 30m
              store: vault
              vault:
                address: http://localhost:8200
                auth: jwt
                role: llm
                token_file: /var/run/secrets/tokens/vault
                kv_mount: kv
          approle:
            type: openai
            authentication:
              type: vault_dynamic
              vault_path: openai/key
              refresh_interval: 90s
              vault:
                address: https://vault.internal
                auth: approle
                role_id: role-1234
                secret_id_file: /etc/quartermaster/secret-id
                mount: approle-llm
        """)
        #expect(instances.instances.map(\.name) == ["approle", "jwt"])
        let jwt = try #require(instances.instance(named: "jwt"))
        #expect(jwt.authentication == .vaultDynamic(VaultDynamicConfig(
            path: "secret/anthropic", field: "api_key", refreshInterval: .seconds(1800),
            store: .vault(VaultConnection(address: "http://localhost:8200", auth: .jwt(role: "llm", mount: "jwt", tokenFile: "/var/run/secrets/tokens/vault"), kvMount: "kv"))
        )))
        let approle = try #require(instances.instance(named: "approle"))
        #expect(approle.authentication == .vaultDynamic(VaultDynamicConfig(
            path: "openai/key", field: "key", refreshInterval: .seconds(90),
            store: .vault(VaultConnection(
                address: "https://vault.internal",
                auth: .appRole(roleID: "role-1234", secretIDFile: "/etc/quartermaster/secret-id", mount: "approle-llm")
            ))
        )))
        #expect(approle.method == "vault_dynamic")
    }

    @Test("vault_dynamic with store quartermaster reads a path of our own store and is labelled quartermaster_store")
    func vaultDynamicOurStore() throws {
        let instance = try #require(try Fixtures.instance(Fixtures.document(type: "anthropic", authentication: """
        type: vault_dynamic
        store: quartermaster
        vault_path: llm/anthropic
        refresh_interval: 15m
        """)))
        #expect(instance.method == "quartermaster_store")
        #expect(instance.authentication == .vaultDynamic(VaultDynamicConfig(
            path: "llm/anthropic", field: "key", refreshInterval: .seconds(900), store: .quartermaster
        )))
    }

    @Test("static reads a secret of our store with field api_key by default, and is the one weak method")
    func staticSecret() throws {
        let instance = try #require(try Fixtures.instance(Fixtures.document(type: "anthropic", authentication: """
        type: static
        secret_path: llm/anthropic
        """)))
        #expect(instance.method == "static")
        #expect(instance.isWeak)
        #expect(instance.authentication == .staticSecret(StaticSecretConfig(secretPath: "llm/anthropic", field: "api_key")))
        let withField = try #require(try Fixtures.instance(Fixtures.document(type: "openai", authentication: """
        type: static
        secret_path: llm/openai
        field: key
        """)))
        #expect(withField.authentication == .staticSecret(StaticSecretConfig(secretPath: "llm/openai", field: "key")))
    }

    @Test("refresh values are read as written; window and jitter defaults follow the credential's lifetime")
    func refreshSettings() throws {
        let instance = try #require(try Fixtures.instance("""
        instances:
          test:
            type: openai
            refresh:
              window: 2m
              jitter: 15s
              min_backoff: 500ms
              max_backoff: 1m
              timeout: 3s
            authentication: {type: static, secret_path: llm/openai}
        """))
        #expect(instance.refresh == RefreshSettings(
            window: .seconds(120), jitter: .seconds(15), minBackoff: .milliseconds(500), maxBackoff: .seconds(60), timeout: .seconds(3)
        ))
        #expect(instance.refresh.window(forLifetime: .seconds(3600)) == .seconds(120))
        #expect(instance.refresh.jitter(forWindow: .seconds(120)) == .seconds(15))

        let defaults = RefreshSettings()
        #expect(defaults.minBackoff == .seconds(1))
        #expect(defaults.maxBackoff == .seconds(300))
        #expect(defaults.timeout == .seconds(10))
        // The later refresh of "5m before expiry" and "20% of the lifetime before expiry".
        #expect(defaults.window(forLifetime: .seconds(3600)) == .seconds(300))
        #expect(defaults.window(forLifetime: .seconds(600)) == .seconds(120))
        #expect(defaults.jitter(forWindow: .seconds(300)) == .seconds(30))
    }

    @Test("only the refresh values written change; the others keep their defaults")
    func partialRefresh() throws {
        let instance = try #require(try Fixtures.instance("""
        instances:
          test:
            type: openai
            refresh: {max_backoff: 10m}
            authentication: {type: static, secret_path: llm/openai}
        """))
        #expect(instance.refresh == RefreshSettings(maxBackoff: .seconds(600)))
        #expect(instance.refresh.window == nil)
        #expect(instance.refresh.jitter == nil)
    }

    @Test("an empty instances mapping is valid and configures no provider")
    func emptyInstances() throws {
        let instances = try Fixtures.instances("instances: {}\n")
        #expect(instances.instances.isEmpty)
        #expect(instances.sourceName == "provider-instances.yaml")
        #expect(instances.instance(named: "anything") == nil)
    }

    @Test("instances are sorted by name and looked up by name")
    func sortedAndLookedUp() throws {
        let instances = try Fixtures.instances("""
        instances:
          zeta-2: {type: openai, authentication: {type: static, secret_path: z}}
          alpha_1: {type: anthropic, authentication: {type: static, secret_path: a}}
          "0": {type: openai, authentication: {type: static, secret_path: zero}}
        """)
        #expect(instances.instances.map(\.name) == ["0", "alpha_1", "zeta-2"])
        #expect(instances.instance(named: "alpha_1")?.type == .anthropic)
        #expect(instances.instance(named: "alpha_1")?.location.line == 3)
        #expect(instances.instance(named: "ALPHA_1") == nil)
    }

    @Test("the example file parses, with one instance of every provider and method")
    func exampleFile() throws {
        let text = try ExamplePolicy.text(Fixtures.examplePath)
        let instances = try ProviderInstancesParser.parse(yaml: text, sourceName: Fixtures.examplePath)
        #expect(Set(instances.instances.map(\.type)) == Set(ProviderType.allCases))
        #expect(Set(instances.instances.map(\.method)) == [
            "aws_irsa", "azure_workload_identity", "gcp_workload_identity", "ibm_trusted_profile", "ibm_api_key",
            "oci_resource_principal", "vault_dynamic", "quartermaster_store", "static",
        ])
        #expect(instances.instances.filter(\.isWeak).map(\.name) == ["anthropic_local"])
        let bedrock = try #require(instances.instance(named: "bedrock_us1"))
        #expect(bedrock.region == "us-east-1")
        #expect(bedrock.refresh == RefreshSettings(window: .seconds(300), jitter: .seconds(30)))
        #expect(bedrock.location.file == Fixtures.examplePath)
        let approle = try #require(instances.instance(named: "openai_batch"))
        guard case .vaultDynamic(let config) = approle.authentication, case .vault(let connection) = config.store else {
            Issue.record("expected vault_dynamic with a vault, found \(approle.authentication)")
            return
        }
        #expect(connection.auth.name == "approle")
    }

    @Test("the README's provider-instances.yaml block parses and has an entry for every provider")
    func readmeBlock() throws {
        let readme = try ExamplePolicy.text("README.md")
        let section = try #require(readme.components(separatedBy: "## Provider credentials").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        let instances = try ProviderInstancesParser.parse(yaml: block, sourceName: "README.md")
        #expect(Set(instances.instances.map(\.type)) == Set(ProviderType.allCases))
    }

    @Test("jitter 0s turns the jitter off")
    func zeroJitter() throws {
        let instances = try ProviderInstancesParser.parse(yaml: """
        instances:
          a:
            type: anthropic
            refresh: {window: 28s, jitter: 0s}
            authentication: {type: static, secret_path: llm/a}
        """, sourceName: "p.yaml")
        #expect(instances.instance(named: "a")?.refresh.jitter == .zero)
    }
}
