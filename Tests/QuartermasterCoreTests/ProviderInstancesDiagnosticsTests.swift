import QuartermasterCore
import Testing

@Suite("Problems in provider-instances.yaml are reported at file:line:column, all at once")
struct ProviderInstancesDiagnosticsTests {
    typealias Fixtures = ProviderInstancesFixtures

    /// Valid provider-specific keys (after `type` and `provider`) for each workload identity provider.
    static let validKeys = [
        "aws_irsa": "role_arn: arn:aws:iam::123456789012:role/x\nidentity: gateway",
        "azure_workload_identity": "tenant_id: 11111111-2222-3333-4444-555555555555\nclient_id: 11111111-2222-3333-4444-555555555555\nidentity: gateway",
        "gcp_workload_identity": "audience: //iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q\nidentity: gateway",
        "ibm_trusted_profile": "profile_id: Profile-1\ntoken_file: /var/run/secrets/tokens/sa-token",
        "ibm_api_key": "api_key_secret: ibm/key",
        "oci_resource_principal": "session_token_file: /a\nprivate_key_file: /b",
    ]

    @Test("problems across instances are all reported, in document order, and nothing is loaded")
    func reportsEveryProblemAtOnce() {
        let yaml = """
        instances:
          Bedrock:
            type: bedrok
            regoin: us-east-1
            authentication:
              type: workload_identity
              provider: aws_irsa
              role_arn: arn:azure:nope
              duration: 13h
              identity: gateway
          openai_proxy:
            type: openai
            refresh: {min_backoff: 10s, max_backoff: 5s}
            authentication:
              type: workload_identity
              provider: aws_irsa
              role_arn: arn:aws:iam::123456789012:role/x
              identity: gateway
          fine:
            type: anthropic
            authentication: {type: static, secret_path: llm/anthropic}
        """
        #expect(Fixtures.problems(yaml) == [
            "2:3: malformed instance name 'Bedrock'; expected 1 to 64 lowercase letters, digits, '_' and '-'",
            "3:11: unknown provider type 'bedrok'; expected one of: bedrock, azure, vertex, watsonx, oci, openai, anthropic",
            "4:5: unknown key 'regoin' in instance 'Bedrock'; expected one of: type, region, refresh, authentication",
            "8:17: 'role_arn' must be an AWS role ARN starting with arn:aws, such as arn:aws:iam::123456789012:role/NAME, found 'arn:azure:nope'",
            "9:17: 'duration' must be between 15m and 12h, found '13h'",
            "13:46: 'max_backoff' (5s) is shorter than 'min_backoff' (10s)",
            "15:13: workload_identity is not available for type 'openai'; use vault_dynamic or static",
        ])
        #expect(throws: PolicyErrors.self) { try ProviderInstancesParser.parse(yaml: yaml, sourceName: "p.yaml") }
    }

    @Test("diagnostics print as file:line:column: message")
    func printedForm() throws {
        let error = try #require(throws: PolicyErrors.self) {
            try ProviderInstancesParser.parse(yaml: "instances:\n  x: {type: gpt, authentication: {type: static, secret_path: a}}\n", sourceName: "configs/provider-instances.yaml")
        }
        #expect(error.description == "configs/provider-instances.yaml:2:13: unknown provider type 'gpt'; expected one of: bedrock, azure, vertex, watsonx, oci, openai, anthropic")
    }

    @Test("the document must be a mapping with instances and nothing else; instances must be a mapping")
    func documentShape() {
        #expect(Fixtures.problems("") == ["1:1: the document is empty; expected a mapping with 'instances'"])
        #expect(Fixtures.problems("- a\n") == ["1:1: expected a mapping for the provider instances document, found a list"])
        #expect(Fixtures.problems("providers: {}\n") == [
            "1:1: unknown key 'providers' in the provider instances document; expected one of: instances",
            "1:1: missing required key 'instances' in the provider instances document",
        ])
        #expect(Fixtures.problems("instances: [a]\n") == ["1:12: expected a mapping for instances, found a list"])
        #expect(Fixtures.problems("instances: ~\n") == ["1:12: expected a mapping for instances, found null"])
    }

    @Test("malformed YAML is reported where the scanner stops")
    func malformedYAML() {
        #expect(Fixtures.problems("instances:\n  a: {type: openai\n") == [
            "3:1: malformed YAML: did not find expected ',' or '}' (while parsing a flow mapping at 2:6)",
        ])
    }

    @Test("an instance name written twice is reported, as a duplicate YAML key or a duplicate name")
    func duplicateNames() {
        #expect(Fixtures.problems("""
        instances:
          openai_proxy: {type: openai, authentication: {type: static, secret_path: a}}
          anthropic: {type: anthropic, authentication: {type: static, secret_path: b}}
          openai_proxy: {type: openai, authentication: {type: static, secret_path: c}}
        """) == ["2:3: malformed YAML: duplicate key 'openai_proxy' in a mapping"])
        // `1` (an integer) and `"1"` (a string) are different YAML keys but the same name.
        #expect(Fixtures.problems("""
        instances:
          1: {type: openai, authentication: {type: static, secret_path: a}}
          "1": {type: openai, authentication: {type: static, secret_path: b}}
        """) == ["3:3: duplicate instance '1'; first defined at provider-instances.yaml:2:3"])
    }

    @Test("instance names are 1 to 64 of lowercase letters, digits, '_' and '-'")
    func instanceNames() {
        let body = "{type: openai, authentication: {type: static, secret_path: a}}"
        let longest = String(repeating: "a", count: 64)
        let tooLong = String(repeating: "b", count: 65)
        #expect(Fixtures.problems("""
        instances:
          UPPER: \(body)
          has.dot: \(body)
          \(tooLong): \(body)
          ~: \(body)
          "": \(body)
          \(longest): \(body)
          ok_name-1: \(body)
        """) == [
            "2:3: malformed instance name 'UPPER'; expected 1 to 64 lowercase letters, digits, '_' and '-'",
            "3:3: malformed instance name 'has.dot'; expected 1 to 64 lowercase letters, digits, '_' and '-'",
            "4:3: malformed instance name '\(tooLong)'; expected 1 to 64 lowercase letters, digits, '_' and '-'",
            "5:3: expected a string key in instances, found null",
            "6:3: malformed instance name ''; expected 1 to 64 lowercase letters, digits, '_' and '-'",
        ])
    }

    @Test("an instance is a mapping with type and authentication")
    func instanceShape() {
        #expect(Fixtures.problems("instances:\n  test: [openai]\n") == ["2:9: expected a mapping for instance 'test', found a list"])
        #expect(Fixtures.problems("instances:\n  test: {region: eu}\n") == [
            "2:9: missing required key 'type' in instance 'test'",
            "2:9: missing required key 'authentication' in instance 'test'",
        ])
    }

    @Test("values of the wrong shape are reported at the value")
    func wrongShapes() {
        #expect(Fixtures.problems("""
        instances:
          a:
            type: {name: openai}
            region: [us]
            refresh: 5m
            authentication: static
          b:
            type: openai
            authentication:
              type: vault_dynamic
              vault_path: [secret/x]
              refresh_interval: 1h
              vault: https://vault.internal
        """) == [
            "3:11: expected a string for 'type', found a mapping",
            "4:13: expected a string for 'region', found a list",
            "5:14: expected a mapping for refresh, found '5m'",
            "6:21: expected a mapping for authentication, found 'static'",
            "11:19: expected a string for 'vault_path', found a list",
            "13:14: expected a mapping for vault, found 'https://vault.internal'",
        ])
    }

    @Test("unknown keys are reported at every level, listing the keys the method takes")
    func unknownKeys() {
        #expect(Fixtures.problems("""
        instances:
          test:
            type: bedrock
            color: red
            refresh:
              windw: 5m
            authentication:
              type: workload_identity
              provider: aws_irsa
              role_arn: arn:aws:iam::123456789012:role/x
              identity: gateway
              tenant_id: 11111111-2222-3333-4444-555555555555
          vault:
            type: openai
            authentication:
              type: vault_dynamic
              vault_path: secret/x
              refresh_interval: 1h
              provider: aws_irsa
              vault:
                address: https://vault.internal
                auth: kubernetes
                role: llm
                role_id: abc
          static:
            type: openai
            authentication:
              type: static
              secret_path: llm/openai
              vault_path: secret/openai
        """) == [
            "4:5: unknown key 'color' in instance 'test'; expected one of: type, region, refresh, authentication",
            "6:7: unknown key 'windw' in refresh; expected one of: window, jitter, min_backoff, max_backoff, timeout",
            "12:7: unknown key 'tenant_id' in aws_irsa authentication; expected one of: type, provider, role_arn, session_name, duration, identity, token_file, audience, endpoint",
            "19:7: unknown key 'provider' in vault_dynamic authentication; expected one of: type, vault_path, field, refresh_interval, store, vault",
            "24:9: unknown key 'role_id' in vault (auth kubernetes); expected one of: address, auth, role, mount, token_file, kv_mount",
            "30:7: unknown key 'vault_path' in static authentication; expected one of: type, secret_path, field",
        ])
    }

    @Test("each provider's mapping takes only its own keys", arguments: [
        ("azure", "azure_workload_identity", "role_arn: arn:aws:iam::1:role/x",
         "unknown key 'role_arn' in azure_workload_identity authentication; expected one of: type, provider, tenant_id, client_id, scope, identity, token_file, audience, authority"),
        ("vertex", "gcp_workload_identity", "endpoint: https://sts.googleapis.com",
         "unknown key 'endpoint' in gcp_workload_identity authentication; expected one of: type, provider, audience, service_account, scope, identity, token_file, sts_endpoint, iam_endpoint"),
        ("watsonx", "ibm_trusted_profile", "api_key_secret: ibm/key",
         "unknown key 'api_key_secret' in ibm_trusted_profile authentication; expected one of: type, provider, profile_id, identity, token_file, audience, endpoint"),
        ("watsonx", "ibm_api_key", "identity: gateway",
         "unknown key 'identity' in ibm_api_key authentication; expected one of: type, provider, api_key_secret, endpoint"),
        ("oci", "oci_resource_principal", "region: us-ashburn-1",
         "unknown key 'region' in oci_resource_principal authentication; expected one of: type, provider, session_token_file, private_key_file"),
    ])
    func providerKeys(type: String, provider: String, extra: String, expected: String) throws {
        let keys = try #require(Self.validKeys[provider])
        let lines = keys.split(separator: "\n").count
        let problems = Fixtures.problems(type: type, authentication: "type: workload_identity\nprovider: \(provider)\n\(keys)\n\(extra)")
        #expect(problems == ["\(7 + lines):7: \(expected)"])
    }

    @Test("missing required keys are reported at the mapping that lacks them", arguments: [
        ("bedrock", "type: workload_identity\nprovider: aws_irsa", [
            "missing required key 'role_arn' in aws_irsa authentication",
            "missing 'identity' or 'token_file' in aws_irsa authentication; give exactly one",
        ]),
        ("azure", "type: workload_identity\nprovider: azure_workload_identity", [
            "missing required key 'tenant_id' in azure_workload_identity authentication",
            "missing required key 'client_id' in azure_workload_identity authentication",
            "missing 'identity' or 'token_file' in azure_workload_identity authentication; give exactly one",
        ]),
        ("vertex", "type: workload_identity\nprovider: gcp_workload_identity", [
            "missing required key 'audience' in gcp_workload_identity authentication",
            "missing 'identity' or 'token_file' in gcp_workload_identity authentication; give exactly one",
        ]),
        ("watsonx", "type: workload_identity\nprovider: ibm_trusted_profile", [
            "missing required key 'profile_id' in ibm_trusted_profile authentication",
            "missing 'identity' or 'token_file' in ibm_trusted_profile authentication; give exactly one",
        ]),
        ("watsonx", "type: workload_identity\nprovider: ibm_api_key", [
            "missing required key 'api_key_secret' in ibm_api_key authentication",
        ]),
        ("oci", "type: workload_identity\nprovider: oci_resource_principal", [
            "missing required key 'session_token_file' in oci_resource_principal authentication",
            "missing required key 'private_key_file' in oci_resource_principal authentication",
        ]),
        ("bedrock", "type: workload_identity", [
            "missing required key 'provider' in workload_identity authentication",
        ]),
        ("openai", "type: vault_dynamic", [
            "missing required key 'vault_path' in vault_dynamic authentication",
            "missing required key 'refresh_interval' in vault_dynamic authentication",
            "missing required key 'vault' in vault_dynamic authentication",
        ]),
        ("anthropic", "type: static", [
            "missing required key 'secret_path' in static authentication",
        ]),
        ("anthropic", "secret_path: llm/anthropic", [
            "missing required key 'type' in authentication",
        ]),
    ])
    func missingRequiredKeys(type: String, authentication: String, expected: [String]) {
        #expect(Fixtures.problems(type: type, authentication: authentication) == expected.map { "5:7: \($0)" })
    }

    @Test("unknown authentication types, providers, stores and vault logins list the known ones")
    func unknownValues() {
        #expect(Fixtures.problems(type: "openai", authentication: "type: api_key\nsecret_path: llm/openai") == [
            "5:13: unknown authentication type 'api_key'; expected one of: workload_identity, vault_dynamic, static",
        ])
        // seed 002 writes `azure_managed_identity`; the provider is called azure_workload_identity.
        #expect(Fixtures.problems(type: "azure", authentication: """
        type: workload_identity
        provider: azure_managed_identity
        tenant_id: 11111111-2222-3333-4444-555555555555
        """) == [
            "6:17: unknown workload identity provider 'azure_managed_identity'; expected one of: aws_irsa, azure_workload_identity, gcp_workload_identity, ibm_trusted_profile, ibm_api_key, oci_resource_principal",
        ])
        #expect(Fixtures.problems(type: "openai", authentication: "type: vault_dynamic\nvault_path: a\nrefresh_interval: 1h\nstore: s3") == [
            "8:14: unknown store 's3'; expected vault or quartermaster",
        ])
        #expect(Fixtures.problems(type: "openai", authentication: "type: vault_dynamic\nvault_path: a\nrefresh_interval: 1h\nstore: s3\nvault: {auth: kubernetes}") == [
            "8:14: unknown store 's3'; expected vault or quartermaster",
            "9:14: missing required key 'address' in vault (auth kubernetes)",
            "9:14: missing required key 'role' in vault (auth kubernetes)",
        ])
        #expect(Fixtures.problems(type: "openai", authentication: """
        type: vault_dynamic
        vault_path: secret/a
        refresh_interval: 1h
        vault: {address: "https://vault.internal", auth: token}
        """) == [
            "8:56: unknown vault auth 'token'; expected one of: kubernetes, jwt, approle",
        ])
    }

    @Test("a workload identity provider must fit the instance type", arguments: [
        ("azure", "aws_irsa", "6:17: provider 'aws_irsa' does not fit type 'azure'; azure instances use azure_workload_identity"),
        ("bedrock", "azure_workload_identity", "6:17: provider 'azure_workload_identity' does not fit type 'bedrock'; bedrock instances use aws_irsa"),
        ("oci", "gcp_workload_identity", "6:17: provider 'gcp_workload_identity' does not fit type 'oci'; oci instances use oci_resource_principal"),
        ("watsonx", "oci_resource_principal", "6:17: provider 'oci_resource_principal' does not fit type 'watsonx'; watsonx instances use ibm_trusted_profile or ibm_api_key"),
        ("vertex", "ibm_api_key", "6:17: provider 'ibm_api_key' does not fit type 'vertex'; vertex instances use gcp_workload_identity"),
        ("bedrock", "ibm_trusted_profile", "6:17: provider 'ibm_trusted_profile' does not fit type 'bedrock'; bedrock instances use aws_irsa"),
        ("openai", "aws_irsa", "5:13: workload_identity is not available for type 'openai'; use vault_dynamic or static"),
        ("anthropic", "ibm_api_key", "5:13: workload_identity is not available for type 'anthropic'; use vault_dynamic or static"),
    ])
    func providerFitsType(type: String, provider: String, expected: String) throws {
        let keys = try #require(Self.validKeys[provider])
        #expect(Fixtures.problems(type: type, authentication: "type: workload_identity\nprovider: \(provider)\n\(keys)") == [expected])
    }

    @Test("the provider's own problems are still reported when it does not fit the type")
    func misfitProviderStillRead() {
        #expect(Fixtures.problems(type: "azure", authentication: "type: workload_identity\nprovider: aws_irsa\nidentity: gateway") == [
            "5:7: missing required key 'role_arn' in aws_irsa authentication",
            "6:17: provider 'aws_irsa' does not fit type 'azure'; azure instances use azure_workload_identity",
        ])
    }

    @Test("exactly one of identity and token_file; audience only with identity")
    func webIdentitySource() {
        let aws = "type: workload_identity\nprovider: aws_irsa\nrole_arn: arn:aws:iam::123456789012:role/x"
        #expect(Fixtures.problems(type: "bedrock", authentication: "\(aws)\ntoken_file: /t\nidentity: gateway") == [
            "9:7: 'identity' and 'token_file' exclude each other; give exactly one",
        ])
        #expect(Fixtures.problems(type: "bedrock", authentication: "\(aws)\nidentity: gateway\ntoken_file: /t") == [
            "9:7: 'identity' and 'token_file' exclude each other; give exactly one",
        ])
        #expect(Fixtures.problems(type: "bedrock", authentication: "\(aws)\ntoken_file: /t\naudience: sts.amazonaws.com") == [
            "9:7: 'audience' only applies with 'identity'; a token file carries its own audience",
        ])
        #expect(Fixtures.problems(type: "azure", authentication: """
        type: workload_identity
        provider: azure_workload_identity
        tenant_id: 11111111-2222-3333-4444-555555555555
        client_id: 11111111-2222-3333-4444-555555555555
        audience: api://AzureADTokenExchange
        token_file: /t
        """) == [
            "9:7: 'audience' only applies with 'identity'; a token file carries its own audience",
        ])
        // With both sources written, which one the audience belongs to is unknown: only that is reported.
        #expect(Fixtures.problems(type: "bedrock", authentication: "\(aws)\naudience: sts.amazonaws.com\ntoken_file: /t\nidentity: \"\"") == [
            "10:7: 'identity' and 'token_file' exclude each other; give exactly one",
            "10:17: 'identity' must not be empty",
        ])
    }

    @Test("durations are Go-style and positive", arguments: [
        ("1d", "malformed duration '1d' for 'window'; expected a positive number and a unit (s, m, h) such as 30s, 15m or 1h"),
        ("5", "malformed duration '5' for 'window'; expected a positive number and a unit (s, m, h) such as 30s, 15m or 1h"),
        ("0s", "malformed duration '0s' for 'window'; expected a positive number and a unit (s, m, h) such as 30s, 15m or 1h"),
        ("-5m", "malformed duration '-5m' for 'window'; expected a positive number and a unit (s, m, h) such as 30s, 15m or 1h"),
        ("[5m]", "expected a string for 'window', found a list"),
    ])
    func refreshDurations(value: String, expected: String) {
        #expect(Fixtures.problems("""
        instances:
          test:
            type: openai
            refresh:
              window: \(value)
            authentication: {type: static, secret_path: llm/openai}
        """) == ["5:15: \(expected)"])
    }

    @Test("every refresh duration, the vault refresh_interval and the AWS session duration are checked")
    func otherDurations() {
        #expect(Fixtures.problems("""
        instances:
          test:
            type: openai
            refresh: {jitter: 5, min_backoff: 1x, max_backoff: "", timeout: -1s}
            authentication: {type: vault_dynamic, store: quartermaster, vault_path: llm/x, refresh_interval: 0h}
        """) == [
            "4:23: malformed duration '5' for 'jitter'; expected a positive number and a unit (s, m, h) such as 30s, 15m or 1h",
            "4:39: malformed duration '1x' for 'min_backoff'; expected a positive number and a unit (s, m, h) such as 30s, 15m or 1h",
            "4:56: 'max_backoff' must not be empty",
            "4:69: malformed duration '-1s' for 'timeout'; expected a positive number and a unit (s, m, h) such as 30s, 15m or 1h",
            "5:102: malformed duration '0h' for 'refresh_interval'; expected a positive number and a unit (s, m, h) such as 30s, 15m or 1h",
        ])
        let aws = "type: workload_identity\nprovider: aws_irsa\nrole_arn: arn:aws:iam::123456789012:role/x\nidentity: gateway"
        #expect(Fixtures.problems(type: "bedrock", authentication: "\(aws)\nduration: 14m59s") == [
            "9:17: 'duration' must be between 15m and 12h, found '14m59s'",
        ])
        #expect(Fixtures.problems(type: "bedrock", authentication: "\(aws)\nduration: 12h1s") == [
            "9:17: 'duration' must be between 15m and 12h, found '12h1s'",
        ])
        #expect(Fixtures.problems(type: "bedrock", authentication: "\(aws)\nduration: 15m").isEmpty)
    }

    @Test("max_backoff is at least min_backoff, defaults included; jitter is shorter than window")
    func backoffAndJitter() {
        func problems(_ refresh: String) -> [String] {
            Fixtures.problems("""
            instances:
              test:
                type: openai
                refresh: {\(refresh)}
                authentication: {type: static, secret_path: llm/openai}
            """)
        }
        #expect(problems("min_backoff: 10m") == ["4:28: 'min_backoff' (10m) is longer than 'max_backoff' (5m, the default)"])
        #expect(problems("max_backoff: 500ms") == ["4:28: 'max_backoff' (500ms) is shorter than 'min_backoff' (1s, the default)"])
        #expect(problems("min_backoff: 2s, max_backoff: 2s").isEmpty)
        #expect(problems("window: 30s, jitter: 30s") == ["4:36: 'jitter' (30s) must be shorter than 'window' (30s)"])
        #expect(problems("window: 30s, jitter: 29s").isEmpty)
        // Without a window the window depends on the credential's lifetime: not checkable here.
        #expect(problems("jitter: 1h").isEmpty)
    }

    @Test("endpoints are absolute https URLs, or http on a loopback host")
    func endpoints() {
        #expect(Fixtures.problems("""
        instances:
          aws:
            type: bedrock
            authentication:
              type: workload_identity
              provider: aws_irsa
              role_arn: arn:aws:iam::123456789012:role/x
              identity: gateway
              endpoint: http://sts.amazonaws.com
          gcp:
            type: vertex
            authentication:
              type: workload_identity
              provider: gcp_workload_identity
              audience: //iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q
              token_file: /t
              sts_endpoint: sts.googleapis.com
              iam_endpoint: http://localhost:8080
          azure:
            type: azure
            authentication:
              type: workload_identity
              provider: azure_workload_identity
              tenant_id: 11111111-2222-3333-4444-555555555555
              client_id: 11111111-2222-3333-4444-555555555555
              identity: gateway
              authority: ftp://login.microsoftonline.com
          openai:
            type: openai
            authentication:
              type: vault_dynamic
              vault_path: secret/x
              refresh_interval: 1h
              vault: {address: "http://vault.internal:8200", auth: approle, role_id: r, secret_id_file: /s}
        """) == [
            "9:17: 'endpoint' must be an absolute https URL (http only on localhost), found 'http://sts.amazonaws.com'",
            "17:21: 'sts_endpoint' must be an absolute https URL (http only on localhost), found 'sts.googleapis.com'",
            "27:18: 'authority' must be an absolute https URL (http only on localhost), found 'ftp://login.microsoftonline.com'",
            "34:24: 'address' must be an absolute https URL (http only on localhost), found 'http://vault.internal:8200'",
        ])
    }

    @Test("role ARNs, GUIDs, session names and the GCP pool provider have their own shapes")
    func identifiers() {
        #expect(Fixtures.problems(type: "azure", authentication: """
        type: workload_identity
        provider: azure_workload_identity
        tenant_id: contoso.onmicrosoft.com
        client_id: 11111111-2222-3333-4444-55555555555g
        identity: gateway
        """) == [
            "7:18: malformed tenant_id 'contoso.onmicrosoft.com'; expected a GUID such as 00000000-0000-0000-0000-000000000000",
            "8:18: malformed client_id '11111111-2222-3333-4444-55555555555g'; expected a GUID such as 00000000-0000-0000-0000-000000000000",
        ])
        #expect(Fixtures.problems(type: "vertex", authentication: """
        type: workload_identity
        provider: gcp_workload_identity
        audience: https://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q
        identity: gateway
        """) == [
            "7:17: 'audience' must name a workload identity pool provider, //iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER, found 'https://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q'",
        ])
        #expect(Fixtures.problems(type: "bedrock", authentication: """
        type: workload_identity
        provider: aws_irsa
        role_arn: "arn:gcp:iam::1:role/x"
        session_name: has space
        identity: gateway
        """) == [
            "7:17: 'role_arn' must be an AWS role ARN starting with arn:aws, such as arn:aws:iam::123456789012:role/NAME, found 'arn:gcp:iam::1:role/x'",
            "8:21: malformed session_name 'has space'; expected 2 to 64 letters, digits and + = , . @ _ -",
        ])
    }

    @Test("paths in our secret store are concrete paths below secret/", arguments: [
        ("llm//anthropic", "secret_path"), ("../anthropic", "secret_path"), ("/llm/anthropic", "secret_path"), ("llm/*", "secret_path"),
    ])
    func secretPaths(path: String, key: String) {
        #expect(Fixtures.problems(type: "anthropic", authentication: "type: static\n\(key): \"\(path)\"") == [
            "6:20: malformed secret path '\(path)' for '\(key)'; expected a path below secret/ such as llm/anthropic, segments of A-Z a-z 0-9 . _ : @ = + - separated by '/', none empty, '.' or '..'",
        ])
    }

    @Test("the IBM API key secret and a vault_path in our own store are secret paths; a Vault path is Vault's business")
    func otherSecretPaths() {
        #expect(Fixtures.problems(type: "watsonx", authentication: "type: workload_identity\nprovider: ibm_api_key\napi_key_secret: ibm//key") == [
            "7:23: malformed secret path 'ibm//key' for 'api_key_secret'; expected a path below secret/ such as llm/anthropic, segments of A-Z a-z 0-9 . _ : @ = + - separated by '/', none empty, '.' or '..'",
        ])
        #expect(Fixtures.problems(type: "openai", authentication: "type: vault_dynamic\nstore: quartermaster\nvault_path: llm/a b\nrefresh_interval: 1h") == [
            "7:19: malformed secret path 'llm/a b' for 'vault_path'; expected a path below secret/ such as llm/anthropic, segments of A-Z a-z 0-9 . _ : @ = + - separated by '/', none empty, '.' or '..'",
        ])
    }

    @Test("the vault block is required with store vault, refused with store quartermaster, and takes its method's keys")
    func vaultBlock() {
        let head = "type: vault_dynamic\nvault_path: secret/x\nrefresh_interval: 1h"
        #expect(Fixtures.problems(type: "openai", authentication: "\(head)\nstore: vault") == [
            "5:7: missing required key 'vault' in vault_dynamic authentication",
        ])
        #expect(Fixtures.problems(type: "openai", authentication: """
        type: vault_dynamic
        store: quartermaster
        vault_path: llm/x
        refresh_interval: 1h
        vault: {address: "https://vault.internal", auth: kubernetes, role: r}
        """) == [
            "9:7: 'vault' does not apply with store quartermaster; the key is read from our own secret store",
        ])
        #expect(Fixtures.problems(type: "openai", authentication: "\(head)\nvault:\n  auth: approle\n  mount: ar") == [
            "9:9: missing required key 'address' in vault (auth approle)",
            "9:9: missing required key 'role_id' in vault (auth approle)",
            "9:9: missing required key 'secret_id_file' in vault (auth approle)",
        ])
        #expect(Fixtures.problems(type: "openai", authentication: "\(head)\nvault: {address: \"https://v.internal\", auth: jwt}") == [
            "8:14: missing required key 'role' in vault (auth jwt)",
        ])
        #expect(Fixtures.problems(type: "openai", authentication: "\(head)\nvault: {}") == [
            "8:14: missing required key 'address' in vault",
            "8:14: missing required key 'auth' in vault",
        ])
    }
}
