import HummingbirdBcrypt
import RectifyDomain
import NIOPosix

/// How passwords are chosen and kept: at least ten characters, none of the commonest, at most
/// 72 bytes (bcrypt reads no further); kept only as a bcrypt hash (hummingbird-auth's
/// HummingbirdBcrypt, cost 12), hashed and checked on NIO's thread pool, never on Swift's
/// cooperative pool, since each takes a quarter of a second of one core by design.
public enum Passwords {
    /// bcrypt's cost: 2^12 rounds, about 0.25 s of one core here (BENCHMARKS.md, "Passwords").
    public static let cost: UInt8 = 12
    /// The fewest characters a password may have.
    public static let minimumLength = 10

    /// Why `password` may not be chosen by `login` (named `name`), or `nil` when it may.
    public static func problem(_ password: String, login: String, name: String) -> PasswordProblem? {
        if password.count < minimumLength { return .tooShort }
        if password.utf8.count > 72 { return .tooLong }
        if ControlCharacters.contained(in: password) { return .controlCharacter }
        let folded = password.lowercased()
        if common.contains(folded) || common.contains(where: { folded.hasPrefix($0) && folded.count <= $0.count + 2 }) { return .common }
        if folded.contains(login.lowercased()) || folded.contains(name.lowercased()) { return .containsName }
        if Set(password).count < 4 { return .repetitive }
        return nil
    }

    /// The bcrypt hash of `password`, with a fresh salt, at `cost`.
    public static func hash(_ password: String, cost: UInt8 = cost) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`.
    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// The commonest passwords in leaked lists, Chinese sites' included, lowercased.
    static let common: Set<String> = [
        "123456", "1234567", "12345678", "123456789", "1234567890", "12345678910", "0123456789", "111111", "000000",
        "11111111", "00000000", "1111111111", "0000000000", "888888", "88888888", "666666", "66666666", "123123",
        "123123123", "123321", "654321", "987654321", "9876543210", "112233", "123654", "147258369", "159357",
        "5201314", "52013145201314", "1314520", "woaini", "woaini1314", "woaini520", "iloveyou", "iloveyou1",
        "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd", "p@ssword", "qwerty",
        "qwerty123", "qwertyuiop", "qwe123", "qweasd", "qweasdzxc", "1qaz2wsx", "1q2w3e4r", "1q2w3e4r5t",
        "1q2w3e", "zxcvbnm", "asdfghjkl", "asdf1234", "abc123", "abc12345", "abc123456", "a123456", "a12345678",
        "aa123456", "aa12345678", "a123456789", "admin", "admin123", "admin1234", "administrator", "root",
        "welcome", "welcome1", "letmein", "monkey", "dragon", "football", "baseball", "sunshine", "princess",
        "superman", "starwars", "trustno1", "whatever", "shadow", "master", "michael", "jennifer", "computer",
        "internet", "changeme", "default", "test123", "test1234", "guest", "hello123", "love1314", "aini1314",
        "zhang123", "wang123", "li123456", "china", "china123", "beijing", "shanghai", "hebei", "rectify",
        "rectify123",
    ]
}

/// Why a password may not be chosen.
public enum PasswordProblem: Sendable, Hashable {
    case tooShort, tooLong, controlCharacter, common, containsName, repetitive

    /// What is wrong, in English (the command line, the API) or Chinese (the desk).
    public func message(chinese: Bool = false) -> String {
        switch self {
        case .tooShort:
            chinese ? "密码至少需要 \(Passwords.minimumLength) 个字符" : "a password needs at least \(Passwords.minimumLength) characters"
        case .tooLong: chinese ? "密码最多 72 个字节（约 24 个汉字）" : "a password may have at most 72 bytes (24 Chinese characters)"
        case .controlCharacter: chinese ? "密码不能含有控制字符" : "a password may not hold control characters"
        case .common: chinese ? "这是最常见的密码之一，请换一个" : "that password is among the most common ones; choose another"
        case .containsName: chinese ? "密码不能包含登录名或姓名" : "a password may not contain the login or the person's name"
        case .repetitive: chinese ? "密码至少需要 4 个不同的字符" : "a password needs at least four different characters"
        }
    }
}
