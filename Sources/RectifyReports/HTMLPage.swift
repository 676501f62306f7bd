/// One self-contained HTML page that reads on screen and prints on A4: inline CSS, inline SVG,
/// no scripts, no external files.
enum HTMLPage {
    /// The page: its title, and its parts in order (the document's heading among them).
    static func page(title: String, language: ReportLanguage, parts: [String]) -> String {
        return """
        <!DOCTYPE html>
        <html lang="\(language == .zh ? "zh-CN" : "en")">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title>
        <style>
        @page { size: A4; margin: 18mm 16mm; }
        body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
               "WenQuanYi Micro Hei", sans-serif;
               color: #1d1d1f; max-width: 900px; margin: 24px auto; padding: 0 16px; line-height: 1.5; }
        h1 { font-size: 22px; border-bottom: 3px solid #b71c1c; padding-bottom: 8px; }
        h2 { font-size: 17px; margin-top: 28px; color: #7f0000; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; page-break-inside: auto; }
        th, td { border: 1px solid #c8c8c8; padding: 4px 8px; }
        th { background: #f3f3f3; font-weight: 600; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        tr { page-break-inside: avoid; }
        tr.sub td:first-child { padding-left: 24px; color: #555; }
        figure { margin: 12px 0 20px; page-break-inside: avoid; }
        figcaption { font-size: 13px; color: #555; margin-bottom: 4px; }
        .legend span { display: inline-block; margin-right: 14px; font-size: 12px; }
        .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
        h3 { font-size: 15px; margin: 16px 0 4px; }
        p { text-indent: 2em; margin: 8px 0; }
        p.asof { text-indent: 0; color: #555; font-size: 14px; }
        .letterhead { text-align: center; color: #c00000; border-bottom: 2px solid #c00000; padding-bottom: 6px; margin-bottom: 8px; }
        .letterhead .issuer { font-size: 26px; font-weight: 700; letter-spacing: 2px; }
        .letterhead .number { color: #1d1d1f; font-size: 15px; margin-top: 10px; }
        .letterhead + h1 { text-align: center; border-bottom: none; }
        .signature { text-align: right; margin-top: 32px; line-height: 2; }
        table.named { table-layout: fixed; }
        table.named th:nth-child(1) { width: 10%; } table.named th:nth-child(2) { width: 23%; }
        table.named th:nth-child(3) { width: 33%; } table.named th:nth-child(4) { width: 14%; }
        table.named th:nth-child(5) { width: 12%; } table.named th:nth-child(6) { width: 8%; }
        .draft { text-indent: 0; border: 2px dashed #c00000; color: #c00000; padding: 6px 10px; font-weight: 600; }
        p.to, p.attachments { text-indent: 0; }
        .attachment { margin-top: 36px; border-top: 1px solid #c8c8c8; padding-top: 8px; }
        .attachment .label { text-indent: 0; font-weight: 700; margin: 0; }
        h2.attachment-title { text-align: center; color: #1d1d1f; }
        .imprint { margin-top: 40px; border-top: 1px solid #1d1d1f; border-bottom: 1px solid #1d1d1f; font-size: 14px; }
        .imprint p { text-indent: 0; margin: 4px 0; }
        p.replaces { text-indent: 0; text-align: center; }
        svg { max-width: 100%; height: auto; }
        @media print { .attachment { page-break-before: always; border-top: none; } .draft { border-width: 1px; }
                       .letterhead .issuer { font-size: 21px; letter-spacing: 0; } }
        @media (max-width: 600px) { table { font-size: 12px; } th, td { padding: 3px 4px; } .letterhead .issuer { font-size: 20px; }
                                    td:first-child { white-space: nowrap; } }
        </style>
        </head>
        <body>
        \(parts.joined(separator: "\n"))
        </body>
        </html>

        """
    }

    /// A table; cells of the columns in `numeric` align right; `class` styles it (`named` fixes
    /// a notice's columns so its tables line up city after city).
    static func table(
        _ headers: [String], _ rows: [[String]], numeric: Set<Int> = [], subRows: Set<Int> = [], class name: String? = nil
    ) -> String {
        let head = "<tr>" + headers.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr>"
        let body = rows.enumerated().map { index, row in
            "<tr\(subRows.contains(index) ? " class=\"sub\"" : "")>"
                + row.enumerated().map { column, cell in "<td\(numeric.contains(column) ? " class=\"n\"" : "")>\(HTMLText.escape(cell))</td>" }.joined()
                + "</tr>"
        }.joined(separator: "\n")
        return "<table\(name.map { " class=\"\($0)\"" } ?? "")>\n\(head)\n\(body)\n</table>"
    }

    static func heading(_ text: String) -> String { "<h2>\(HTMLText.escape(text))</h2>" }

    static func paragraph(_ text: String, class name: String? = nil) -> String {
        "<p\(name.map { " class=\"\($0)\"" } ?? "")>\(HTMLText.escape(text))</p>"
    }

    /// The issuing office's red header (红头) and, for a notice, the document number.
    static func letterhead(issuer: String, number: String?) -> String {
        "<div class=\"letterhead\"><div class=\"issuer\">\(HTMLText.escape(issuer))</div>"
            + (number.map { "<div class=\"number\">\(HTMLText.escape($0))</div>" } ?? "") + "</div>"
    }

    /// The issuer and date at the foot (落款).
    static func signature(issuer: String, date: String) -> String {
        "<div class=\"signature\">\(HTMLText.escape(issuer))<br>\(HTMLText.escape(date))</div>"
    }

}

/// A horizontal stacked bar chart as inline SVG.
enum BarChart {
    /// One bar: a label and its segments' values, in the order of the series.
    struct Bar {
        var label: String
        var values: [Int]
    }

    static func svg(caption: String, series: [(name: String, color: String)], bars: [Bar]) -> String {
        let labelWidth = 150.0, chartWidth = 560.0, rowHeight = 22.0, barHeight = 14.0
        let largest = max(1, bars.map { $0.values.reduce(0, +) }.max() ?? 1)
        let height = Double(bars.count) * rowHeight + 8
        var shapes: [String] = []
        for (row, bar) in bars.enumerated() {
            let y = Double(row) * rowHeight + 4
            shapes.append("<text x=\"\(labelWidth - 6)\" y=\(quoted(y + barHeight - 3)) text-anchor=\"end\" font-size=\"12\">\(HTMLText.escape(bar.label))</text>")
            var x = labelWidth
            for (index, value) in bar.values.enumerated() where value > 0 {
                let width = chartWidth * Double(value) / Double(largest)
                shapes.append("<rect x=\(quoted(x)) y=\(quoted(y)) width=\(quoted(width)) height=\"\(barHeight)\" fill=\"\(series[index].color)\"><title>\(HTMLText.escape(series[index].name)): \(value)</title></rect>")
                x += width
            }
            shapes.append("<text x=\(quoted(x + 4)) y=\(quoted(y + barHeight - 3)) font-size=\"11\" fill=\"#555\">\(bar.values.reduce(0, +))</text>")
        }
        let legend = series.count > 1
            ? "<div class=\"legend\">" + series.map { "<span><i style=\"background:\($0.color)\"></i>\(HTMLText.escape($0.name))</span>" }.joined() + "</div>"
            : ""
        return """
            <figure><figcaption>\(HTMLText.escape(caption))</figcaption>\(legend)
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(labelWidth + chartWidth + 40))" height="\(Int(height))" \
            viewBox="0 0 \(Int(labelWidth + chartWidth + 40)) \(Int(height))" role="img">
            \(shapes.joined(separator: "\n"))
            </svg></figure>
            """
    }

    private static func quoted(_ value: Double) -> String { "\"\((value * 10).rounded() / 10)\"" }
}
