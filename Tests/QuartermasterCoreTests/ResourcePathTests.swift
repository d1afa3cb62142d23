import Testing
import QuartermasterCore

@Suite("Concrete resource paths")
struct ResourcePathTests {
    @Test("valid paths are non-empty segments of [A-Za-z0-9._:@=+-]", arguments: [
        "secret/gateway/proxy-auth/tls",
        "transit/model-weights",
        "secret",
        "repo/org@name/refs=main/v1.2+build:3_x",
        "secret/.hidden/...x",
    ])
    func valid(resource: String) {
        #expect(ResourcePath.isValid(resource))
    }

    @Test("empty segments, dot segments, wildcards and other characters are invalid", arguments: [
        "", "/", "secret/", "/secret", "secret//x", "secret/./x", "secret/../x", "secret/..", ".",
        "secret/*", "secret/**", "secret/a b", "secret/ké", "secret/a?b", "secret\\x",
    ])
    func invalid(resource: String) {
        #expect(!ResourcePath.isValid(resource))
    }
}
