/// Rules for concrete resource paths such as `secret/gateway/proxy-auth/tls`.
public enum ResourcePath: Sendable {
    /// The separator between segments.
    static let separator = UInt8(ascii: "/")

    /// Whether `resource` is a concrete path: non-empty segments of `[A-Za-z0-9._:@=+-]`,
    /// none of them `.` or `..`, and no wildcards.
    public static func isValid(_ resource: String) -> Bool {
        var segmentLength = 0
        var segmentIsAllDots = true
        for byte in resource.utf8 {
            if byte == separator {
                guard isAcceptable(length: segmentLength, allDots: segmentIsAllDots) else { return false }
                segmentLength = 0
                segmentIsAllDots = true
                continue
            }
            guard isSegmentByte(byte) else { return false }
            segmentLength += 1
            segmentIsAllDots = segmentIsAllDots && byte == UInt8(ascii: ".")
        }
        return isAcceptable(length: segmentLength, allDots: segmentIsAllDots)
    }

    /// Whether a byte may appear in a path segment.
    static func isSegmentByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "@"),
             UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private static func isAcceptable(length: Int, allDots: Bool) -> Bool {
        length > 0 && !(allDots && length <= 2)
    }
}
