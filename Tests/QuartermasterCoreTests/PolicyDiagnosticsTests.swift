import Testing
import QuartermasterCore

@Suite("Problems in a policy document are reported at file:line:column")
struct PolicyDiagnosticsTests {
    @Test("several problems in one document are all reported, in document order")
    func reportsEveryProblemAtOnce() {
        let problems = PolicyFixtures.problems("""
        version: 2
        clusters:
          - id: prod
            environment: production
            colour: blue
        identities:
          - name: gateway
            kind: robot
            roles: [proxy, missing-role]
            clusters: [prod, mars]
        roles:
          - name: proxy
            grants:
              - actions: [reed]
                resources: [secret/a//b, secret/ab*]
                conditions:
                  region: eu
                  source_cidr: [10.0.0.0/33]
                  time_window: {after: "8:00", before: "18:00"}
        """)
        #expect(problems == [
            "1:10: unsupported version 2; expected 1",
            "5:5: unknown key 'colour' in cluster; expected one of: id, environment, kubernetes",
            "8:11: unknown identity kind 'robot'; expected one of: service, agent, ci, human",
            "9:20: identity 'gateway' names unknown role 'missing-role'",
            "10:22: identity 'gateway' names unknown cluster 'mars'",
            "14:19: unknown action 'reed'; expected one of: read, list, write, delete, create, update, encrypt, decrypt, rewrap, rotate, issue, exchange, register, invoke, act_as, *",
            "15:21: resource pattern 'secret/a//b' can match nothing: empty segment",
            "15:34: resource pattern 'secret/ab*' can match nothing: partial wildcard 'ab*'; use '*' or '**' as a whole segment",
            "17:11: unknown condition key 'region' in conditions; expected one of: cluster_id, environment, namespace, time_window, source_cidr, attestation_measurement, key_version",
            "18:25: malformed CIDR '10.0.0.0/33'; expected an address and prefix length such as 10.0.0.0/8 or fd00::/8",
            "19:32: malformed time '8:00' for 'after'; expected HH:MM in UTC, 00:00 to 23:59",
        ])
    }

    @Test("malformed YAML is reported where the scanner stops, with the construct it was reading")
    func malformedYAML() {
        #expect(PolicyFixtures.problems("version: 1\nroles: [a, b\n") == [
            "3:1: malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence at 2:8)",
        ])
        #expect(PolicyFixtures.problems("version: 1\nroles:\n\t- a\n") == [
            "3:1: malformed YAML: found character that cannot start any token (while scanning for the next token at 3:1)",
        ])
    }

    @Test("a key written twice in one mapping is malformed YAML")
    func duplicateYAMLKey() {
        #expect(PolicyFixtures.problems("version: 1\nversion: 1\n") == [
            "1:1: malformed YAML: duplicate key 'version' in a mapping",
        ])
    }

    @Test("an empty document, or one that is not a mapping, is rejected")
    func emptyOrNotAMapping() {
        #expect(PolicyFixtures.problems("") == ["1:1: the document is empty; expected a mapping starting with 'version: 1'"])
        #expect(PolicyFixtures.problems("- 1\n") == ["1:1: expected a mapping for the policy document, found a list"])
    }

    @Test("the version must be present and be the integer 1")
    func version() {
        #expect(PolicyFixtures.problems("clusters: []\n") == ["1:1: missing required key 'version' in the policy document"])
        #expect(PolicyFixtures.problems("version: one\n") == ["1:10: expected an integer for 'version', found 'one'"])
        #expect(PolicyFixtures.problems("version: 3\n").first == "1:10: unsupported version 3; expected 1")
    }

    @Test("unknown keys are reported at every level of the document")
    func unknownKeysAtEveryLevel() {
        let problems = PolicyFixtures.problems("""
        version: 1
        owner: platform
        clusters:
          - id: prod
            environment: production
            kubernetes:
              issuer: https://oidc.example.internal
              audience: quartermaster
        identities:
          - name: admin
            kind: human
            roles: [admin]
            team: platform
        roles:
          - name: admin
            priority: 1
            grants:
              - actions: ["*"]
                resources: [sys/**]
                note: all of sys
                conditions:
                  time_window: {after: "08:00", before: "18:00", zone: UTC}
        """)
        #expect(problems == [
            "2:1: unknown key 'owner' in the policy document; expected one of: version, clusters, attestation, identities, roles",
            "8:7: unknown key 'audience' in kubernetes; expected one of: issuer, jwks_uri, audiences",
            "13:5: unknown key 'team' in identity; expected one of: name, kind, description, clusters, roles, token, kubernetes, may_act_for",
            "16:5: unknown key 'priority' in role; expected one of: name, description, subset_of, grants",
            "20:9: unknown key 'note' in grant; expected one of: actions, resources, effect, conditions, lease",
            "22:58: unknown key 'zone' in time_window; expected one of: after, before",
        ])
    }

    @Test("values of the wrong type are reported where the value is")
    func wrongTypes() {
        let problems = PolicyFixtures.problems("""
        version: 1
        clusters: {id: prod}
        identities:
          - name: admin
            kind: human
            roles: admin
          - just-a-name
        roles:
          - name: [admin]
            grants:
              - actions: read
                resources: [sys/**]
        """)
        #expect(problems == [
            "2:11: expected a list for 'clusters', found a mapping",
            "6:12: expected a list for 'roles', found 'admin'",
            "7:5: expected a mapping for identity, found 'just-a-name'",
            "9:11: expected a string for 'name', found a list",
            "11:18: expected a list for 'actions', found 'read'",
        ])
    }

    @Test("missing required fields are reported at the mapping that lacks them")
    func missingRequiredFields() {
        let problems = PolicyFixtures.problems("""
        version: 1
        clusters:
          - id: prod
          - environment: staging
            kubernetes: {audiences: [quartermaster]}
        identities:
          - name: admin
          - kind: human
        roles:
          - name: admin
          - name: other
            grants:
              - actions: [read]
              - resources: [sys/**]
        """)
        #expect(problems == [
            "3:5: missing required key 'environment' in cluster",
            "4:5: missing required key 'id' in cluster",
            "5:17: missing required key 'issuer' in kubernetes",
            "7:5: missing required key 'kind' in identity",
            "8:5: missing required key 'name' in identity",
            "10:5: missing required key 'grants' in role",
            "13:9: missing required key 'resources' in grant",
            "14:9: missing required key 'actions' in grant",
        ])
    }

    @Test("references to undefined roles and clusters are reported where they are written")
    func unknownReferences() {
        let problems = PolicyFixtures.problems("""
        version: 1
        clusters:
          - id: prod
            environment: production
        identities:
          - name: admin
            kind: human
            clusters: [prod, staging]
            roles: [admin, auditor]
        roles:
          - name: admin
            grants:
              - actions: ["*"]
                resources: [sys/**]
                conditions:
                  cluster_id: [prod, dev]
        """)
        #expect(problems == [
            "8:22: identity 'admin' names unknown cluster 'staging'",
            "9:20: identity 'admin' names unknown role 'auditor'",
            "16:30: cluster_id condition of role 'admin' names unknown cluster 'dev'",
        ])
    }

    @Test("duplicate cluster, identity and role names are reported at the second name")
    func duplicateNames() {
        let problems = PolicyFixtures.problems("""
        version: 1
        clusters:
          - {id: prod, environment: production}
          - {id: prod, environment: staging}
        identities:
          - {name: admin, kind: human, roles: [admin]}
          - {name: admin, kind: service}
        roles:
          - {name: admin, grants: [{actions: ["*"], resources: [sys/**]}]}
          - {name: admin, grants: []}
        """)
        #expect(problems == [
            "4:10: duplicate cluster id 'prod'; first defined at policy.yaml:3:10",
            "7:12: duplicate identity 'admin'; first defined at policy.yaml:6:12",
            "10:12: duplicate role 'admin'; first defined at policy.yaml:9:12",
        ])
    }

    @Test("grant values: effect, empty lists, pattern characters and roots")
    func grantValues() {
        let problems = PolicyFixtures.problems("""
        version: 1
        roles:
          - name: admin
            grants:
              - effect: permit
                actions: []
                resources: ["secret/a b", "vault/x", "secret/./x", "secret/**"]
        """)
        #expect(problems == [
            "5:17: unknown effect 'permit'; expected allow or deny",
            "6:18: 'actions' must list at least one entry",
            "7:21: resource pattern 'secret/a b' can match nothing: character ' ' is not allowed in segment 'a b'",
            "7:35: resource pattern 'vault/x' can match nothing: unknown root 'vault'; a pattern starts with one of: secret, provider, transit, database, sys, identity, queue, repo, deploy, iam, storage, ci",
            "7:46: resource pattern 'secret/./x' can match nothing: segment '.' is not allowed in a resource path",
        ])
    }

    @Test("condition values: CIDR, time, measurement, key version, empty lists")
    func conditionValues() {
        let problems = PolicyFixtures.problems("""
        version: 1
        roles:
          - name: tee
            grants:
              - actions: [decrypt]
                resources: [transit/model-weights]
                conditions:
                  source_cidr: [10.0.0.0/8, 10.0.0.1, "fd00::/129", "::1/128"]
                  time_window: {after: "08:00", before: "24:00"}
                  attestation_measurement: [sha256:abc]
                  key_version: [3, "03", v4]
                  namespace: []
          - name: night
            grants:
              - actions: [read]
                resources: [secret/x]
                conditions:
                  time_window: {after: "10:00", before: "10:00"}
        """)
        #expect(problems == [
            "8:37: malformed CIDR '10.0.0.1'; expected an address and prefix length such as 10.0.0.0/8 or fd00::/8",
            "8:47: malformed CIDR 'fd00::/129'; expected an address and prefix length such as 10.0.0.0/8 or fd00::/8",
            "9:49: malformed time '24:00' for 'before'; expected HH:MM in UTC, 00:00 to 23:59",
            "10:37: malformed attestation measurement; expected sha256:, sha384: or sha512: and a lowercase hex digest, found 'sha256:abc'",
            "11:28: malformed key version; expected a non-negative integer without leading zeros, found '03'",
            "11:34: malformed key version; expected a non-negative integer without leading zeros, found 'v4'",
            "12:22: condition 'namespace' lists no values, so it could never hold",
            "18:24: time_window 'after' and 'before' must differ",
        ])
    }

    @Test("a Kubernetes issuer must be an https URL; plain http only on localhost")
    func issuerURLs() {
        let problems = PolicyFixtures.problems("""
        version: 1
        clusters:
          - {id: a, environment: dev, kubernetes: {issuer: "http://localhost:8443"}}
          - {id: b, environment: dev, kubernetes: {issuer: "http://oidc.example.internal"}}
          - {id: c, environment: dev, kubernetes: {issuer: "https://oidc.example.internal", jwks_uri: "keys.json"}}
        identities:
        \(PolicyFixtures.adminIdentity)
        roles:
        \(PolicyFixtures.adminRole)
        """)
        #expect(problems == [
            "4:52: 'issuer' must be an absolute https URL (http only on localhost), found 'http://oidc.example.internal'",
            "5:95: 'jwks_uri' must be an absolute https URL (http only on localhost), found 'keys.json'",
        ])
    }

    @Test("a policy in which nobody may write sys/policy is rejected")
    func lockout() {
        let problems = PolicyFixtures.problems("""
        version: 1
        identities:
          - name: reader
            kind: human
            roles: [reader]
        roles:
          - name: reader
            grants:
              - actions: [read]
                resources: [sys/**]
        """)
        #expect(problems == ["2:1: no identity is allowed write on sys/policy; this policy would lock out every administrator"])
    }

    @Test("an unconditional deny on sys/policy also locks administrators out; a conditional allow does not")
    func lockoutWithDenyAndConditions() {
        let denied = PolicyFixtures.problems("""
        version: 1
        identities:
          - {name: admin, kind: human, roles: [admin]}
        roles:
          - name: admin
            grants:
              - {actions: ["*"], resources: [sys/**]}
              - {effect: deny, actions: [write], resources: [sys/policy]}
        """)
        #expect(denied.count == 1)
        let conditional = PolicyFixtures.problems("""
        version: 1
        identities:
          - {name: admin, kind: human, roles: [admin]}
        roles:
          - name: admin
            grants:
              - actions: [write]
                resources: [sys/policy]
                conditions: {source_cidr: 10.0.0.0/8}
        """)
        #expect(conditional.isEmpty)
    }

    @Test("the error's description is one diagnostic per line")
    func errorDescription() throws {
        do throws(PolicyErrors) {
            _ = try PolicyParser.parse(yaml: "version: 2\nowner: x\n", sourceName: "p.yaml")
            Issue.record("expected the document to be rejected")
        } catch {
            #expect(error.description == """
            p.yaml:1:10: unsupported version 2; expected 1
            p.yaml:2:1: unknown key 'owner' in the policy document; expected one of: version, clusters, attestation, identities, roles
            """)
        }
    }
}
