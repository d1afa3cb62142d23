import Testing
import QuartermasterCore

@Suite("Resource patterns")
struct ResourcePatternTests {
    static func pattern(_ text: String) throws -> ResourcePattern {
        try ResourcePattern(text)
    }

    @Test("a pattern parses into literal, `*` and `**` segments")
    func segments() throws {
        #expect(try Self.pattern("secret/*/tls/**").segments == [.literal("secret"), .anySegment, .literal("tls"), .anyDepth])
    }

    @Test("`*` matches exactly one segment", arguments: [
        ("secret/*/tls", "secret/gateway/tls", true),
        ("secret/*/tls", "secret/tls", false),
        ("secret/*/tls", "secret/a/b/tls", false),
        ("secret/*", "secret/gateway", true),
        ("secret/*", "secret", false),
    ])
    func singleSegmentWildcard(pattern: String, resource: String, matches: Bool) throws {
        #expect(try Self.pattern(pattern).matches(resource) == matches)
    }

    @Test("`**` matches zero or more segments at any depth", arguments: [
        ("secret/llm/**", "secret/llm", true),
        ("secret/llm/**", "secret/llm/openai", true),
        ("secret/llm/**", "secret/llm/openai/api-key/v2", true),
        ("secret/llm/**", "secret/llmx", false),
        ("secret/llm/**", "secret/vector/qdrant", false),
        ("secret/**/tls", "secret/tls", true),
        ("secret/**/tls", "secret/a/b/c/tls", true),
        ("secret/**/tls", "secret/a/b/c/tls/x", false),
        ("secret/**/*/key", "secret/a/key", true),
        ("secret/**/*/key", "secret/key", false),
    ])
    func anyDepthWildcard(pattern: String, resource: String, matches: Bool) throws {
        #expect(try Self.pattern(pattern).matches(resource) == matches)
    }

    @Test("literal segments match only themselves, whole and case-sensitively", arguments: [
        ("secret/gateway/proxy-auth", "secret/gateway/proxy-auth", true),
        ("secret/gateway/proxy-auth", "secret/gateway/Proxy-Auth", false),
        ("secret/gateway/proxy-auth", "secret/gateway/proxy-auth/tls", false),
        ("secret/gateway/proxy-auth", "secret/gateway", false),
    ])
    func literals(pattern: String, resource: String, matches: Bool) throws {
        #expect(try Self.pattern(pattern).matches(resource) == matches)
    }

    @Test("an invalid resource path never matches, whatever the pattern", arguments: [
        "secret/llm/../gateway", "secret/llm/./x", "secret//llm", "secret/llm/", "/secret/llm", "secret/llm/*", "",
    ])
    func invalidPathsNeverMatch(resource: String) throws {
        #expect(try !Self.pattern("secret/**").matches(resource))
    }

    @Test("patterns that could match nothing are rejected with the reason", arguments: [
        ("secret/a//b", "empty segment"),
        ("secret/", "empty segment"),
        ("/secret", "empty segment"),
        ("secret/ab*", "partial wildcard 'ab*'; use '*' or '**' as a whole segment"),
        ("secret/***", "partial wildcard '***'; use '*' or '**' as a whole segment"),
        ("secret/a b", "character ' ' is not allowed in segment 'a b'"),
        ("secret/ké", "character 'é' is not allowed in segment 'ké'"),
        ("secret/..", "segment '..' is not allowed in a resource path"),
        ("vault/x", "unknown root 'vault'; a pattern starts with one of: secret, provider, transit, database, sys, identity, queue, repo, deploy, iam, storage, ci"),
        ("*/x", "unknown root '*'; a pattern starts with one of: secret, provider, transit, database, sys, identity, queue, repo, deploy, iam, storage, ci"),
        ("", "it is empty"),
    ])
    func rejectsUnmatchablePatterns(text: String, reason: String) {
        #expect(throws: ResourcePatternError(pattern: text, reason: reason)) {
            try ResourcePattern(text)
        }
    }

    @Test("every root in the vocabulary is accepted, with the allowed punctuation")
    func acceptsRootsAndCharacters() throws {
        for root in PolicyVocabulary.resourceRoots {
            #expect(try Self.pattern("\(root)/A-z_0.9:@=+/**").matches("\(root)/A-z_0.9:@=+/x"))
        }
    }

    @Test("covers: every resource the other pattern matches is matched by this one", arguments: [
        ("secret/**", "secret/llm/**", true),
        ("secret/llm/**", "secret/llm", true),
        ("secret/llm/**", "secret/llm/*/key", true),
        ("secret/llm/**", "secret/**", false),
        ("secret/*/key", "secret/llm/key", true),
        ("secret/*/key", "secret/**/key", false),
        ("secret/llm/*", "secret/llm/**", false),
        ("secret/*/**", "secret/**/*", true),
        ("secret/**/*", "secret/*/**", true),
        ("secret/**/tls", "secret/a/**/tls", true),
        ("secret/a/**/tls", "secret/**/tls", false),
        ("secret/llm", "secret/llm", true),
        ("secret/llm", "secret/vector", false),
        ("secret/**", "transit/**", false),
        ("secret/**/b/**", "secret/a/b/c/**", true),
    ])
    func covers(outer: String, inner: String, covers: Bool) throws {
        #expect(try Self.pattern(outer).covers(Self.pattern(inner)) == covers)
    }

    @Test("a pattern always covers itself", arguments: ["secret/llm/**", "secret/*/x/**/y", "sys/policy", "secret/**/**"])
    func coversItself(text: String) throws {
        let pattern = try Self.pattern(text)
        #expect(pattern.covers(pattern))
    }

    @Test("patterns are equal when their text is, wherever they were written")
    func equalityIgnoresLocation() throws {
        let written = try ResourcePattern("secret/**", location: SourceLocation(file: "p.yaml", line: 3, column: 9))
        #expect(written == (try Self.pattern("secret/**")))
        #expect(written.description == "secret/**")
    }
}
