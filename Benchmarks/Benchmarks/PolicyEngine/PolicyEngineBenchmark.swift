import Benchmark
import QuartermasterCore

/// Decision latency of the compiled policy index with 1k, 10k and 100k grants.
///
/// The synthetic policy has 100 identities; each holds roles whose grants cover realistic
/// paths (`secret/team-N/service-M/**`, `provider/...`, `transit/...`, with `*` and `**`),
/// plus denies and conditions, so lookups walk real tries, not a toy.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(3),
        maxIterations: 2_000_000
    )

    for grantCount in [1_000, 10_000, 100_000] {
        let policy = SyntheticPolicy.make(grants: grantCount)
        let engine = PolicyEngine(policy: policy)
        let questions = SyntheticPolicy.questions(count: 4096)

        Benchmark("decide/\(grantCount) grants", configuration: .init(scalingFactor: .kilo)) { benchmark in
            var allowed = 0
            var index = 0
            for _ in benchmark.scaledIterations {
                if engine.decide(questions[index & 4095]).allowed { allowed += 1 }
                index &+= 1
            }
            blackHole(allowed)
        }
    }
}

/// Builds synthetic policies and questions for the benchmarks.
enum SyntheticPolicy {
    static let identities = 100

    static func make(grants: Int) -> Policy {
        let rolesPerIdentity = 4
        let roleCount = identities * rolesPerIdentity
        let grantsPerRole = max(1, grants / roleCount)
        var yaml = "version: 1\nclusters:\n  - id: prod-eu-1\n    environment: production\nidentities:\n"
        yaml += "  - name: admin\n    kind: human\n    roles: [admin]\n"
        for identity in 0..<identities {
            let roles = (0..<rolesPerIdentity).map { "role-\(identity)-\($0)" }.joined(separator: ", ")
            yaml += "  - name: service-\(identity)\n    kind: service\n    clusters: [prod-eu-1]\n    roles: [\(roles)]\n"
        }
        yaml += "roles:\n  - name: admin\n    grants:\n      - actions: [\"*\"]\n        resources: [\"sys/**\"]\n"
        for identity in 0..<identities {
            for role in 0..<rolesPerIdentity {
                yaml += "  - name: role-\(identity)-\(role)\n    grants:\n"
                for grant in 0..<grantsPerRole {
                    let team = (identity * 7 + grant) % 50
                    switch grant % 5 {
                    case 0:
                        yaml += "      - actions: [read, list]\n        resources: [\"secret/team-\(team)/service-\(grant)/**\"]\n"
                    case 1:
                        yaml += "      - actions: [read]\n        resources: [\"provider/openai-\(grant)/*\"]\n        conditions:\n          environment: production\n"
                    case 2:
                        yaml += "      - actions: [encrypt, decrypt]\n        resources: [\"transit/key-\(team)-\(grant)\"]\n"
                    case 3:
                        yaml += "      - actions: [write]\n        resources: [\"secret/team-\(team)/*/config-\(grant)\"]\n"
                    default:
                        yaml += "      - actions: [read]\n        effect: deny\n        resources: [\"secret/team-\(team)/service-\(grant)/root/**\"]\n"
                    }
                }
            }
        }
        do {
            return try PolicyParser.parse(yaml: yaml, sourceName: "synthetic.yaml")
        } catch {
            fatalError("synthetic policy is invalid: \(error)")
        }
    }

    static func questions(count: Int) -> [AuthorizationRequest] {
        var generator = SplitMix64(seed: 42)
        return (0..<count).map { _ in
            let identity = Int(generator.next() % UInt64(identities))
            let grant = Int(generator.next() % 200)
            let team = (identity * 7 + grant) % 50
            switch generator.next() % 4 {
            case 0:
                return AuthorizationRequest(subject: "service-\(identity)", action: "read", resource: "secret/team-\(team)/service-\(grant)/db/password", context: [:])
            case 1:
                return AuthorizationRequest(subject: "service-\(identity)", action: "read", resource: "provider/openai-\(grant)/chat", context: ["environment": "production"])
            case 2:
                return AuthorizationRequest(subject: "service-\(identity)", action: "decrypt", resource: "transit/key-\(team)-\(grant)", context: [:])
            default:
                return AuthorizationRequest(subject: "service-\(identity)", action: "read", resource: "secret/team-\(team)/service-\(grant)/root/key", context: [:])
            }
        }
    }
}

/// A small deterministic generator, so every run asks the same questions.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
