// Package opendata renders the site's open-data downloads: each report as
// JSON for developers, every figure as a long ("tidy") CSV table, and one
// Excel workbook over the whole site for finance staff.
//
// All three keep figures exactly as published. Amounts are in 万元 and are
// written as the decimal text the source printed (json.Number in JSON, the
// literal in CSV, the literal as a numeric cell value in XLSX); nothing goes
// through float64, so 3176.4889 stays 3176.4889 and 3704.8 is not padded to
// 3704.80. Percentages are numbers in percent (84.69 for 84.69%).
//
// # Long table (CSV and the 明细 sheet)
//
// One row per amount of a report, in the order the report declares them.
// The columns are listed, with their meaning, by [Columns]; the same text is
// the 说明 sheet of the workbook. To pivot in Excel, put 口径 and 类别路径 (or
// 类别层级) on rows and 数据项 on columns; filter 分项性质 ≠ 其中 before summing,
// because “其中” items are parts singled out of a total, not a breakdown.
//
// The CSV is UTF-8 with a byte-order mark, so that Excel on Windows reads
// the Chinese text, and uses CRLF line endings and RFC 4180 quoting. A text
// cell that a spreadsheet would run as a formula (one starting with = + - @,
// a tab or a carriage return, unless it is just a signed number such as -1)
// is written with a leading apostrophe; figures are never changed, and the
// JSON and the workbook keep the exact text.
//
// # Parts
//
// all.csv and all.xlsx are written from each department's [Part], its share
// of both files, worked out from that department alone ([PartOf]) and kept
// as bytes: in a [Spool] on disk while a build streams through the
// departments, or in a cache for a department that was not loaded at all.
// [WriteAllCSVParts] and [WriteAllXLSXParts] read the parts one at a time,
// so memory does not grow with the site. [WriteAllCSV] and [WriteAllXLSX]
// take the same path from a whole model.
//
// # Determinism
//
// Two builds of the same content give byte-identical files: every order
// comes from the content (site order, report order, declaration order), the
// workbook's document dates are derived from the data (see [AllXLSX]), and
// every ZIP entry carries that same time.
//
// # Imports
//
// Layer 4 (see internal/arch): it imports model only.
package opendata
