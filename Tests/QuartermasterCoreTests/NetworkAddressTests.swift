import Testing
import QuartermasterCore

@Suite("IP addresses and CIDR blocks")
struct NetworkAddressTests {
    @Test("IPv4 and IPv6 text parses, including :: and an embedded IPv4 tail", arguments: [
        ("10.1.2.3", true), ("0.0.0.0", true), ("255.255.255.255", true),
        ("::1", true), ("::", true), ("fd00::", true), ("2001:db8::8a2e:370:7334", true),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", true), ("::ffff:10.1.2.3", true), ("1::", true),
        ("256.1.1.1", false), ("1.2.3", false), ("1.2.3.4.5", false), ("01.2.3.4", false), ("1..2.3", false),
        ("1:2:3:4:5:6:7:8:9", false), ("1::2::3", false), (":::", false), ("1:", false), (":1", false),
        ("12345::", false), ("g::1", false), ("::1.2.3.4:5", false), ("", false), ("fe80::1%eth0", false),
    ])
    func parsing(text: String, isValid: Bool) {
        #expect((IPAddress(text) != nil) == isValid)
    }

    @Test("IPv6 text is read into the right bits")
    func ipv6Bits() throws {
        #expect(try #require(IPAddress("::1")).value == 1)
        #expect(try #require(IPAddress("1::")).value == UInt128(1) << 112)
        #expect(try #require(IPAddress("::ffff:10.0.0.1")).value == 0xffff_0a00_0001)
        #expect(IPAddress("2001:db8::1") == IPAddress("2001:0db8:0:0:0:0:0:1"))
    }

    @Test("IPv4 blocks contain the addresses of their network", arguments: [
        ("10.0.0.0/8", "10.255.1.2", true),
        ("10.0.0.0/8", "11.0.0.1", false),
        ("192.168.1.0/24", "192.168.1.77", true),
        ("192.168.1.0/24", "192.168.2.1", false),
        ("192.168.1.7/32", "192.168.1.7", true),
        ("192.168.1.7/32", "192.168.1.8", false),
        ("0.0.0.0/0", "203.0.113.9", true),
        ("10.0.0.0/8", "::ffff:10.9.9.9", true),
        ("10.0.0.0/8", "::1", false),
    ])
    func ipv4Membership(block: String, address: String, contains: Bool) throws {
        let cidr = try #require(CIDRBlock(block))
        let ip = try #require(IPAddress(address))
        #expect(cidr.contains(ip) == contains)
    }

    @Test("IPv6 blocks contain the addresses of their network", arguments: [
        ("::1/128", "::1", true),
        ("::1/128", "::2", false),
        ("fd00::/8", "fd12:3456::1", true),
        ("fd00::/8", "fe80::1", false),
        ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("::/0", "2001:db8::1", true),
        ("::/0", "10.0.0.1", false),
    ])
    func ipv6Membership(block: String, address: String, contains: Bool) throws {
        let cidr = try #require(CIDRBlock(block))
        let ip = try #require(IPAddress(address))
        #expect(cidr.contains(ip) == contains)
    }

    @Test("malformed blocks are rejected", arguments: [
        "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/8/8", "x/8", "10.0.0.0/0008",
    ])
    func malformedBlocks(text: String) {
        #expect(CIDRBlock(text) == nil)
    }

    @Test("host bits are cleared; a block contains the narrower blocks inside it")
    func blockContainment() throws {
        let wide = try #require(CIDRBlock("10.1.2.3/8"))
        #expect(wide.network == IPAddress("10.0.0.0"))
        let narrow = try #require(CIDRBlock("10.20.0.0/16"))
        let everything = try #require(CIDRBlock("0.0.0.0/0"))
        let everythingV6 = try #require(CIDRBlock("::/0"))
        #expect(wide.contains(narrow))
        #expect(!wide.contains(everything))
        #expect(!wide.contains(everythingV6))
    }
}
