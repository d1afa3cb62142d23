/// An IPv4 or IPv6 address, parsed without allocating.
public struct IPAddress: Sendable, Hashable {
    /// The address bits; an IPv4 address occupies the low 32 bits.
    public let value: UInt128
    /// Whether this is an IPv4 address.
    public let isIPv4: Bool

    /// Creates an address from its bits.
    public init(value: UInt128, isIPv4: Bool) {
        self.value = value
        self.isIPv4 = isIPv4
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and an embedded IPv4 tail).
    public init?(_ text: some StringProtocol) {
        let bytes = text.utf8
        if bytes.contains(UInt8(ascii: ":")) {
            guard let value = Self.parseIPv6(bytes) else { return nil }
            self.init(value: value, isIPv4: false)
        } else {
            guard let value = Self.parseIPv4(bytes[...]) else { return nil }
            self.init(value: UInt128(value), isIPv4: true)
        }
    }

    /// The bits of the address width: 32 or 128.
    public var bitWidth: Int { isIPv4 ? 32 : 128 }

    /// The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) stands for, if it is one.
    public var unmappedIPv4: IPAddress? {
        guard !isIPv4, value >> 32 == 0xffff else { return nil }
        return IPAddress(value: value & 0xffff_ffff, isIPv4: true)
    }

    private static func parseIPv4<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt32? {
        var result: UInt32 = 0
        var octets = 0
        var octet: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, octets < 3 else { return nil }
                result = result << 8 | octet
                octets += 1
                (octet, digits, leadingZero) = (0, 0, false)
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), !leadingZero else { return nil }
            leadingZero = digits == 0 && byte == UInt8(ascii: "0")
            octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
            digits += 1
            guard octet <= 255 else { return nil }
        }
        guard digits > 0, octets == 3 else { return nil }
        return result << 8 | octet
    }

    private static func parseIPv6<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt128? {
        let colon = UInt8(ascii: ":")
        var head: UInt128 = 0, headGroups = 0
        var tail: UInt128 = 0, tailGroups = 0
        var sawGap = false
        var index = bytes.startIndex
        if bytes.starts(with: [colon, colon]) {
            sawGap = true
            index = bytes.index(index, offsetBy: 2)
        } else if bytes.first == colon {
            return nil
        }
        while index != bytes.endIndex {
            let groupEnd = bytes[index...].firstIndex(of: colon) ?? bytes.endIndex
            let group = bytes[index..<groupEnd]
            let parsed: (value: UInt128, groups: Int)
            if group.contains(UInt8(ascii: ".")) {
                guard groupEnd == bytes.endIndex, let ipv4 = parseIPv4(group) else { return nil }
                parsed = (UInt128(ipv4), 2)
            } else {
                guard let hex = parseHexGroup(group) else { return nil }
                parsed = (UInt128(hex), 1)
            }
            if sawGap {
                tail = tail << (16 * parsed.groups) | parsed.value
                tailGroups += parsed.groups
            } else {
                head = head << (16 * parsed.groups) | parsed.value
                headGroups += parsed.groups
            }
            guard groupEnd != bytes.endIndex else { break }
            index = bytes.index(after: groupEnd)
            if index != bytes.endIndex, bytes[index] == colon {
                guard !sawGap else { return nil }
                sawGap = true
                index = bytes.index(after: index)
            } else if index == bytes.endIndex {
                return nil
            }
        }
        let groups = headGroups + tailGroups
        if sawGap {
            guard groups <= 7 else { return nil }
            return head << (16 * (8 - headGroups)) | tail
        }
        return groups == 8 ? head : nil
    }

    private static func parseHexGroup<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt16? {
        guard !bytes.isEmpty, bytes.count <= 4 else { return nil }
        var value: UInt16 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
