"""Console strings: devices (简体中文, English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "devices.title": ("平板设备", "Tablets"),
    "devices.user": ("使用人", "User"),
    "devices.last_sync": ("最近上传", "Last upload"),
    "devices.last_pull": ("最近下载", "Last download"),
    "devices.never_pulled": ("从未下载", "never"),
    "devices.contiguous": ("连续收到至", "Received without gaps up to"),
    "devices.highest": ("最大序号（含被拒）", "Highest seq received (refused too)"),
    "devices.seq_help": ("序号是平板给每条记录的编号。“连续收到至”：此前每个序号都已收到（保存或被拒）；“最大序号”：收到的最大序号，含被拒的记录；二者之间缺失的序号仍在平板上，请让该平板同步。",
                         "A seq is the number a tablet gives each record. \"Received without gaps up to\": every seq up to it arrived (stored or refused); "
                         "\"Highest seq\": the highest that arrived, refused ones too. Missing seqs between them are still on the tablet: have it sync."),
    "devices.gaps": ("缺失序号", "Missing seq"),
    "devices.offset": ("时钟偏差", "Clock offset"),
    "devices.never": ("从未上传", "never"),
    "devices.revoke": ("停用", "Revoke"),
    "devices.revoked": ("已停用", "Revoked"),
    "devices.active": ("正常", "Active"),
    "devices.revoke_confirm": ("确定停用这台平板吗？停用后它将无法同步。", "Revoke this tablet? It will no longer sync."),
    "devices.revoked_ok": ("设备 {name} 已停用。", "Device {name} revoked."),
    "devices.already_revoked": ("设备 {name} 已于 {time} 停用，本次未做任何更改。如需再用，请在该平板上重新登录注册。",
                                "Device {name} was already revoked at {time}; nothing was changed. To use it again, enrol it again on the tablet."),
    "devices.ahead": ("快 {s}", "{s} ahead"),
    "devices.behind": ("慢 {s}", "{s} behind"),
}
