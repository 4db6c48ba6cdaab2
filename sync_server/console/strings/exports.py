"""Console strings: exports (简体中文, English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "exports.title": ("导出数据", "Export"),
    "exports.help": ("CSV 为 UTF-8（带 BOM），可直接用 Excel 打开；XLSX 每类数据一个工作表。",
                     "CSV is UTF-8 with a BOM so Excel shows Chinese; XLSX has one sheet per kind."),
    "exports.kind": ("数据", "Data"),
    "exports.csv": ("下载 CSV", "Download CSV"),
    "exports.xlsx": ("下载 XLSX", "Download XLSX"),
    "exports.all": ("全部（仅 XLSX）", "All (XLSX only)"),
    "export.registrations": ("来访登记", "Registrations"),
    "export.calls": ("来电登记", "Calls"),
    "export.deals": ("成交记录", "Deals"),
    "export.visits": ("走访报告", "Visits"),
    "export.follow_ups": ("跟进记录", "Follow-ups"),
    "export.complaints": ("投诉", "Complaints"),
    "export.conflicts": ("争议及裁定", "Conflicts and decisions"),
    "export.decisions": ("裁定记录", "Decisions"),
    "exports.err_kind": ("没有这种导出内容：请从列表中选择。", "No such export: choose one from the list."),
    "exports.err_all_xlsx": ("“全部”只能导出为 XLSX（每类一个工作表）：请选择 XLSX，或选择一类导出为 CSV。",
                             "\u201cAll\u201d exports as XLSX only (one sheet each): choose XLSX, or one kind as CSV."),
    "exports.err_format": ("没有这种文件格式：请选择 CSV 或 XLSX。", "No such file format: choose CSV or XLSX."),
}
