import QuartermasterCore
import Testing

@Suite("Authorization header")
struct AuthorizationHeaderTests {
    @Test("the scheme matches without regard to case and the credentials are trimmed")
    func matches() {
        #expect(AuthorizationHeader.credentials("Bearer abc", scheme: "bearer") == "abc")
        #expect(AuthorizationHeader.credentials("bEaReR   abc \t", scheme: "bearer") == "abc")
        #expect(AuthorizationHeader.credentials("Basic  dXNlcjpwdw==", scheme: "basic") == "dXNlcjpwdw==")
        #expect(AuthorizationHeader.credentials("Bearer ", scheme: "bearer") == "")
    }

    @Test("another scheme, a longer scheme or no space is not a match")
    func refuses() {
        #expect(AuthorizationHeader.credentials("Basic abc", scheme: "bearer") == nil)
        #expect(AuthorizationHeader.credentials("Bearerx abc", scheme: "bearer") == nil)
        #expect(AuthorizationHeader.credentials("Bearer", scheme: "bearer") == nil)
        #expect(AuthorizationHeader.credentials("basic\0abc", scheme: "basic") == nil)
    }
}
