// swift-tools-version:6.1
// In-process benchmarks (ordo-one/benchmark). Run: `cd Benchmarks && swift package benchmark`.
// Kept out of the main package so that `swift test` does not build the benchmark tooling.
import PackageDescription

let package = Package(
    name: "QuartermasterBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PolicyEngineBenchmark",
            dependencies: [
                .product(name: "QuartermasterCore", package: "quartermaster"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PolicyEngine",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
