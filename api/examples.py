"""Examples shown in the OpenAPI document (tests check each one against its schema)."""

from __future__ import annotations

from typing import Any

__all__ = [
    "ANSWER",
    "ASK_REQUESTS",
    "MESSAGE_REQUESTS",
    "OVERRIDE_REQUESTS",
    "REPLY",
    "SESSION_CREATED",
    "SESSION_REQUESTS",
    "SSE_ASK",
    "SSE_MESSAGE",
]

_SESSION = "2cd3e6839f2540b0b48f9acd4a903973"

REPLY: dict[str, Any] = {
    "session_id": _SESSION,
    "language": "zh",
    "text": (
        "已记录为：**满足**，可随时修改。\n\n"
        "**服务运营 · 一星 · SO-1-02 服务活动有过程记录**（核心指标）\n\n"
        "贵机构每做一项服务，是否都会记下服务了谁、什么时候、做了什么、谁做的、结果如何？"
    ),
    "question": {
        "kind": "indicator",
        "field": None,
        "indicators": [
            {"id": "SO-1-02", "area": "SO", "level": 1, "title": "服务活动有过程记录", "core": True}
        ],
        "quick_replies": [
            {"value": "met", "label": "满足"},
            {"value": "largely_met", "label": "基本满足"},
            {"value": "partly_met", "label": "部分满足"},
            {"value": "not_met", "label": "不满足"},
            {"value": "unsure", "label": "不清楚"},
            {"value": "skip", "label": "跳过"},
        ],
    },
    "proposed_findings": [],
    "progress": {
        "answered": 13,
        "total": 96,
        "by_area": {
            "SS": {"answered": 6, "total": 18},
            "SD": {"answered": 6, "total": 20},
            "ST": {"answered": 0, "total": 19},
            "SO": {"answered": 1, "total": 20},
            "CSI": {"answered": 0, "total": 19},
        },
    },
    "rating": None,
    "citations": [],
}

SESSION_REQUESTS: dict[str, dict[str, Any]] = {
    "empty": {"summary": "默认（中文）/ defaults (Chinese)", "value": {}},
    "english": {
        "summary": "英文会话并预填机构画像 / English, with a profile",
        "value": {
            "language": "en",
            "profile": {"name": "Example SME Service Centre", "target_stars": 3},
        },
    },
    "site_token": {
        "summary": "宿主网站签名的机构身份 / institution signed by the host site",
        "value": {"site_token": "eyJpbnN0aXR1dGlvbiI6Ii4uLiJ9.c2lnbmF0dXJl"},
    },
}

SESSION_CREATED: dict[str, Any] = {
    "session_id": _SESSION,
    "token": "q3VbX0m8c2H4l9Zs7nYwRk1tJfEa6uPd5oGiLxBvN2w",
    "reply": REPLY,
}

MESSAGE_REQUESTS: dict[str, dict[str, Any]] = {
    "quick_reply": {
        "summary": "点选快捷回复 / a quick-reply button",
        "value": {"quick_reply": "met"},
    },
    "text": {
        "summary": "自由文字 / free text",
        "value": {"text": "我们有服务台账，按月汇总，但去年下半年的记录不全。"},
    },
    "answers": {
        "summary": "逐项勾选清单 / a checklist",
        "value": {"answers": {"SO-1-03": "met", "SO-1-04": "partly_met"}},
    },
}

ASK_REQUESTS: dict[str, dict[str, Any]] = {
    "zh": {"summary": "中文提问 / in Chinese", "value": {"question": "四星对数据有什么要求？"}},
    "en": {
        "summary": "英文提问 / in English",
        "value": {"question": "What does four stars require of data?", "k": 3},
    },
}

ANSWER: dict[str, Any] = {
    "question": "四星对数据有什么要求？",
    "language": "zh",
    "covered": True,
    "text": "参考文本第 9.4.2 条“数据与台账”规定：机构应按统一的指标口径采集服务数据，"
    "定期开展量化分析[1]。\n\n标准中的相关规定如下：\n\n[1] **第 9.4.2 条 数据与台账**"
    "（服务运营 · 四星）\n\n> 机构应按统一的指标口径采集服务数据，定期开展量化分析。",
    "lead": "参考文本第 9.4.2 条“数据与台账”规定：机构应按统一的指标口径采集服务数据，"
    "定期开展量化分析[1]。",
    "citations": [
        {
            "clause": "9.4.2",
            "title": "数据与台账",
            "source": "09-operation.md",
            "text": "机构应按统一的指标口径采集服务数据，定期开展量化分析。",
            "indicator_id": None,
            "level": 4,
            "area": "SO",
            "score": 0.031,
            "rendition": "reference",
            "label": "《中小企业服务 服务机构 通用能力成熟度模型》参考文本 9.4.2",
            "document": "《中小企业服务 服务机构 通用能力成熟度模型》参考文本",
        }
    ],
}

OVERRIDE_REQUESTS: dict[str, dict[str, Any]] = {
    "confirm": {
        "summary": "评估人员确认 / an assessor confirms",
        "value": {"status": "largely_met", "reason": "现场核验台账，2025 年 3 月记录缺两笔。"},
    }
}

SSE_MESSAGE = (
    'event: delta\ndata: {"text": "已记录为：**满足**，可随时修改。\\n\\n"}\n\n'
    'event: delta\ndata: {"text": "**服务运营 · 一星 · SO-1-02 …**"}\n\n'
    'event: reply\ndata: {"reply": {"session_id": "…", "text": "…", "question": {…}}}\n\n'
    "event: done\ndata: {}\n\n"
)

SSE_ASK = (
    'event: delta\ndata: {"text": "四星要求机构按统一口径采集服务数据，"}\n\n'
    'event: delta\ndata: {"text": "并用于量化分析与改进（见 9.4.2）。"}\n\n'
    'event: answer\ndata: {"question": "…", "covered": true, "citations": […]}\n\n'
    "event: done\ndata: {}\n\n"
)
