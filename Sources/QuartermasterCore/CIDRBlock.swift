/// An IPv4 or IPv6 network in CIDR notation, such as `10.0.0.0/8` or `fd00::/8`.
public struct CIDRBlock: Sendable, Hashable, CustomStringConvertible {
    /// The network address, with host bits cleared.
    public let network: IPAddress
    /// The number of leading bits that identify the network.
    public let prefixLength: Int
    /// The block as written.
    public let text: String

    /// Parses `address/prefix`; `nil` when the address or the prefix length is malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let address = IPAddress(parts[0]),
              parts[1].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              parts[1].count <= 3,
              let prefixLength = Int(parts[1]),
              prefixLength <= address.bitWidth
        else { return nil }
        self.network = IPAddress(value: address.value & Self.mask(prefixLength, width: address.bitWidth), isIPv4: address.isIPv4)
        self.prefixLength = prefixLength
        self.text = text
    }

    /// The block as written.
    public var description: String { text }

    /// Whether the address lies in this network; IPv4-mapped IPv6 addresses count as IPv4.
    public func contains(_ address: IPAddress) -> Bool {
        let candidate = network.isIPv4 ? (address.unmappedIPv4 ?? address) : address
        guard candidate.isIPv4 == network.isIPv4 else { return false }
        return candidate.value & Self.mask(prefixLength, width: network.bitWidth) == network.value
    }

    /// Whether every address of `other` lies in this network.
    public func contains(_ other: CIDRBlock) -> Bool {
        other.network.isIPv4 == network.isIPv4 && prefixLength <= other.prefixLength && contains(other.network)
    }

    private static func mask(_ prefixLength: Int, width: Int) -> UInt128 {
        guard prefixLength > 0 else { return 0 }
        let ones: UInt128 = width == 128 ? .max : (1 << width) - 1
        return ones & ~((1 << (width - prefixLength)) - 1)
    }
}
