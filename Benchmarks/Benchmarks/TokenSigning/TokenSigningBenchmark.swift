import Benchmark
import QuartermasterCrypto

/// Signs and verifies per second for each signing algorithm, so that the HTTP issuance
/// figure can be read against the signing limit.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput],
        maxDuration: .seconds(3),
        maxIterations: 100_000
    )

    for algorithm in SigningAlgorithm.allCases {
        Benchmark("sign/\(algorithm.rawValue)") { benchmark, context in
            for _ in benchmark.scaledIterations {
                blackHole(try await context.signer.sign(context.claims, kid: context.key.kid))
            }
        } setup: {
            try await SigningContext(algorithm)
        }

        Benchmark("verify/\(algorithm.rawValue)") { benchmark, context in
            for _ in benchmark.scaledIterations {
                blackHole(try await context.signer.verify(context.token))
            }
        } setup: {
            try await SigningContext(algorithm)
        }
    }
}

/// A key, a signer holding it, typical claims and one signed token.
struct SigningContext: Sendable {
    let key: SigningKeyMaterial
    let signer: TokenSigner
    let claims: AccessTokenClaims
    let token: String

    init(_ algorithm: SigningAlgorithm) async throws {
        key = try SigningKeyMaterial.generate(algorithm)
        signer = try await TokenSigner.make(keys: [key])
        claims = AccessTokenClaims(
            iss: "https://quartermaster.internal", sub: "gateway-service", aud: ["quartermaster"],
            iat: 1_795_000_000, nbf: 1_795_000_000, exp: 1_795_000_900, jti: "b6c2f0e4a1d3", client_id: "qmc_0123456789abcdef",
            scope: "read:secret/gateway/proxy-auth/**", cluster_id: "prod-eu-1"
        )
        token = try await signer.sign(claims, kid: key.kid)
    }
}
