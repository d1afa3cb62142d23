/// Reads fixed-width decimal fields from UTF-8 bytes.
struct DigitReader {
    let bytes: String.UTF8View
    var index: String.UTF8View.Index

    init(bytes: String.UTF8View) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var isAtEnd: Bool { index == bytes.endIndex }

    mutating func number(digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard index != bytes.endIndex, let digit = Self.digit(bytes[index]) else { return nil }
            value = value * 10 + digit
            index = bytes.index(after: index)
        }
        return value
    }

    mutating func skip(_ byte: UInt8) -> Bool {
        skip(where: { $0 == byte })
    }

    mutating func skip(where isExpected: (UInt8) -> Bool) -> Bool {
        guard index != bytes.endIndex, isExpected(bytes[index]) else { return false }
        index = bytes.index(after: index)
        return true
    }

    mutating func skipDigits() -> Int {
        var count = 0
        while index != bytes.endIndex, Self.digit(bytes[index]) != nil {
            index = bytes.index(after: index)
            count += 1
        }
        return count
    }

    mutating func utcOffsetSeconds() -> Int? {
        if skip(where: { $0 == UInt8(ascii: "Z") || $0 == UInt8(ascii: "z") }) { return 0 }
        let sign: Int
        if skip(UInt8(ascii: "+")) {
            sign = 1
        } else if skip(UInt8(ascii: "-")) {
            sign = -1
        } else {
            return nil
        }
        guard let hours = number(digits: 2), hours < 24, skip(UInt8(ascii: ":")),
              let minutes = number(digits: 2), minutes < 60
        else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
