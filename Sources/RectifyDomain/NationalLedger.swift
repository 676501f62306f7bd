public import Foundation

/// A generated ledger at the scale of the whole country, for `rectify bench domain`: every
/// province with its cities and counties, two rounds each, and tasks, petitions and
/// accountability cases spread over them. Written straight to a file, never held in memory.
public struct NationalLedger: Sendable {
    /// How big a ledger to generate.
    public enum Scale: String, CaseIterable, Sendable {
        /// 31 provinces, 2,914 counties, 100,000 tasks, 1,000,000 petitions, 20,000 cases with 60,000 persons.
        case national
        /// One province: 94 counties, 3,300 tasks, 33,000 petitions, 650 cases with 1,950 persons.
        case province
    }

    /// Province codes and names (the first two digits of their administrative codes).
    private static let provinces: [(code: String, name: String)] = [
        ("11", "Beijing"), ("12", "Tianjin"), ("13", "Hebei"), ("14", "Shanxi"), ("15", "Inner Mongolia"), ("21", "Liaoning"),
        ("22", "Jilin"), ("23", "Heilongjiang"), ("31", "Shanghai"), ("32", "Jiangsu"), ("33", "Zhejiang"), ("34", "Anhui"),
        ("35", "Fujian"), ("36", "Jiangxi"), ("37", "Shandong"), ("41", "Henan"), ("42", "Hubei"), ("43", "Hunan"),
        ("44", "Guangdong"), ("45", "Guangxi"), ("46", "Hainan"), ("50", "Chongqing"), ("51", "Sichuan"), ("52", "Guizhou"),
        ("53", "Yunnan"), ("54", "Tibet"), ("61", "Shaanxi"), ("62", "Gansu"), ("63", "Qinghai"), ("64", "Ningxia"), ("65", "Xinjiang"),
    ]
    private static let citiesPerProvince = 11
    private static let personsPerCase = 3

    public let scale: Scale

    /// Odd-numbered cities have nine counties, even-numbered eight: 94 in a province.
    private static func counties(inCity city: Int) -> Int { city % 2 == 1 ? 9 : 8 }

    /// A generator for `scale`.
    public init(scale: Scale) {
        self.scale = scale
    }

    private var provinceCount: Int { scale == .national ? 31 : 1 }
    private var taskCount: Int { scale == .national ? 100_000 : 3_300 }
    private var petitionCount: Int { scale == .national ? 1_000_000 : 33_000 }
    private var caseCount: Int { scale == .national ? 20_000 : 650 }

    /// How many records the file holds, all arrays together.
    public var recordCount: Int {
        let counties = (1...Self.citiesPerProvince).map(Self.counties(inCity:)).reduce(0, +)
        let regions = provinceCount * (1 + Self.citiesPerProvince + counties)
        return regions + 2 * (regions - provinceCount) + 2 * provinceCount + taskCount + petitionCount + caseCount
    }

    /// Writes the ledger to `handle`; returns the bytes written.
    public func write(to handle: FileHandle) throws -> Int {
        var generator = RecordGenerator(seed: 20_260_101)
        let provinces = Self.provinces.prefix(provinceCount).map { Region(code: $0.code + "0000", name: $0.name, level: .province, parent: nil) }
        var regions = provinces
        var places: [[Region]] = []  // cities and counties, by province
        for province in provinces {
            var inProvince: [Region] = []
            for city in 1...Self.citiesPerProvince {
                let cityCode = province.code.prefix(2) + RecordGenerator.padded(city, 2)
                let cityRegion = Region(code: cityCode + "00", name: "\(province.name) city \(city)", level: .city, parent: province.code)
                inProvince.append(cityRegion)
                for county in 1...Self.counties(inCity: city) {
                    inProvince.append(Region(code: cityCode + RecordGenerator.padded(county, 2),
                                             name: "\(cityRegion.name) county \(county)", level: .county, parent: cityRegion.code))
                }
            }
            places.append(inProvince)
            regions += inProvince
        }
        let counties = places.map { $0.filter { $0.level == .county } }
        func suffix(_ province: Int) -> String { String(provinces[province].code.prefix(2)) }

        var writer = LedgerWriter(handle: handle)
        try writer.writeArray("regions", regions)
        try writer.writeArray("units", RecordGenerator.units(of: regions))
        try writer.writeArray("rounds", provinces.enumerated().flatMap { index, province in
            RecordGenerator.rounds(province: province, suffix: suffix(index), groups: (1 + index % 8, 1 + (index + 3) % 8))
        })
        try writer.writeArray("tasks", (0..<taskCount).lazy.map { number in
            let province = number % provinces.count
            let older = number % 5 < 3
            let round = "\(older ? "CEI2" : "CEI3")-\(suffix(province))"
            let place = places[province][generator.pick(below: places[province].count)]
            return generator.task(id: "\(round)-\(RecordGenerator.padded(number, 6))", number: number, round: round, older: older, place: place)
        })
        try writer.writeArray("petitions", (0..<petitionCount).lazy.map { number in
            let province = number % provinces.count
            let older = number % 3 < 2
            let round = "\(older ? "CEI2" : "CEI3")-\(suffix(province))"
            let county = counties[province][generator.pick(below: counties[province].count)]
            return generator.petition(id: "\(round)-P\(RecordGenerator.padded(number, 7))", round: round, older: older, county: county.code)
        })
        try writer.writeArray("accountability", (0..<caseCount).lazy.map { number in
            let province = number % provinces.count
            let older = number % 3 < 2
            let round = "\(older ? "CEI2" : "CEI3")-\(suffix(province))"
            let place = places[province][generator.pick(below: places[province].count)]
            return generator.accountabilityCase(
                id: "\(round)-A\(RecordGenerator.padded(number, 5))", number: number, round: round, older: older, place: place,
                persons: Self.personsPerCase)
        })
        try writer.finish()
        return writer.bytesWritten
    }
}
