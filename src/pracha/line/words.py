"""What the bot says, in Thai and English.

The chat speaks the language of the user's LINE app, not of a web request, so its words are
kept here by language instead of in the gettext catalogue. Labels of quick-reply buttons stay
within LINE's 20 characters.
"""

from __future__ import annotations

from pracha.states import STATE_NAMES_EN, State

WORDS: dict[str, dict[str, str]] = {
    "welcome": {
        "th": "สวัสดีครับ แจ้งปัญหาของเมืองได้ที่นี่: ส่งรูป (ไม่เกิน 3 รูป) ตำแหน่ง "
        'และข้อความบอกว่าเกิดอะไรขึ้น ส่งอะไรก่อนก็ได้ พิมพ์ "ยกเลิก" เพื่อเริ่มใหม่ '
        'หรือ "รายงานของฉัน" เพื่อดูเรื่องที่แจ้งไว้',
        "en": "Hello! Report a city problem here: send photos (up to 3), the location, and a "
        'few words on what is wrong, in any order. Type "cancel" to start again, or '
        '"my reports" to see your reports.',
    },
    "help": {
        "th": 'ส่งรูป ตำแหน่ง และข้อความเพื่อแจ้งปัญหา พิมพ์ "รายงานของฉัน" '
        'เพื่อดูเรื่องที่แจ้งไว้ หรือ "ยกเลิก" เพื่อเริ่มใหม่',
        "en": 'Send photos, a location and a description to report a problem. Type "my '
        'reports" to see your reports, or "cancel" to start again.',
    },
    "ask_location": {
        "th": "เกิดที่ไหนครับ? กดปุ่มด้านล่างเพื่อส่งตำแหน่ง",
        "en": "Where is it? Tap the button below to send the location.",
    },
    "ask_text": {
        "th": "เล่าสั้น ๆ ว่าเกิดอะไรขึ้นครับ",
        "en": "Please tell us in a few words what the problem is.",
    },
    "ask_photo": {
        "th": 'มีรูปไหมครับ? ส่งได้ไม่เกิน 3 รูป หรือกด "ไม่มีรูป"',
        "en": 'Do you have a photo? Send up to 3, or tap "No photo".',
    },
    "summary": {
        "th": "ตรวจสอบก่อนส่ง:\n{description}\nตำแหน่ง: {place}\nรูป: {photos}\nหมวด: {categories}",
        "en": "Please check:\n{description}\nPlace: {place}\nPhotos: {photos}\n"
        "Category: {categories}",
    },
    "no_category": {"th": "ให้เจ้าหน้าที่จัดหมวด", "en": "an officer will choose"},
    "filed": {
        "th": "รับเรื่องแล้ว เลขที่ {ticket}\nติดตามได้ที่ {url}\nเราจะแจ้งความคืบหน้าที่นี่",
        "en": "Reported: {ticket}\nFollow it at {url}\nWe will tell you of progress here.",
    },
    "duplicate": {
        "th": 'เรื่องนี้อาจซ้ำกับ {ticket} ห่างไป {metres} ม. ({url}) ถ้าใช่ กด "ฉันด้วย"',
        "en": 'This may be {ticket}, {metres} m away ({url}). If so, tap "Me too".',
    },
    "me_too_done": {
        "th": "บันทึกว่าคุณพบปัญหาเดียวกันที่ {ticket} แล้ว",
        "en": "Noted: you have the same problem as {ticket}.",
    },
    "me_too_already": {
        "th": "คุณบอกไว้แล้วว่าพบปัญหาเดียวกันที่ {ticket}",
        "en": "You had already said so for {ticket}.",
    },
    "cancelled": {
        "th": "ยกเลิกแล้ว ส่งรูป ตำแหน่ง หรือข้อความเมื่อต้องการแจ้งเรื่องใหม่",
        "en": "Cancelled. Send a photo, a location or a message to start a new report.",
    },
    "nothing_to_cancel": {
        "th": "ไม่มีเรื่องที่กำลังแจ้งอยู่",
        "en": "There is no report in progress.",
    },
    "expired": {
        "th": "เรื่องที่แจ้งค้างไว้หมดเวลาแล้ว ไม่เป็นไรครับ เริ่มใหม่ได้ทุกเมื่อ",
        "en": "Your unfinished report has expired. No problem: start again any time.",
    },
    "photo_failed": {
        "th": "รับรูปไม่สำเร็จ ({reason}) ส่งรูปใหม่ได้ หรือแจ้งต่อโดยไม่มีรูป",
        "en": "We could not get that photo ({reason}). Send it again, or go on without it.",
    },
    "photo_unreachable": {"th": "LINE ไม่ตอบ", "en": "LINE did not answer"},
    "too_many_photos": {
        "th": "รับได้ไม่เกิน 3 รูปต่อเรื่อง รูปนี้ไม่ได้ใช้",
        "en": "A report takes at most 3 photos; this one was not used.",
    },
    "not_filed": {
        "th": "ส่งเรื่องไม่สำเร็จ: {reason}",
        "en": "The report could not be filed: {reason}",
    },
    "nothing_to_confirm": {
        "th": "ยังไม่มีเรื่องให้ส่ง ส่งรูป ตำแหน่ง และข้อความก่อนครับ",
        "en": "There is nothing to send yet: send a photo, a location and a message first.",
    },
    "my_reports": {"th": "เรื่องที่คุณแจ้งไว้:", "en": "Your reports:"},
    "no_reports": {
        "th": "คุณยังไม่มีเรื่องที่เปิดอยู่",
        "en": "You have no open reports.",
    },
    "status": {
        "th": "เรื่อง {ticket}: {what}\n{url}",
        "en": "Report {ticket}: {what}\n{url}",
    },
    "status_forwarded": {"th": "ส่งต่อให้ {agency}", "en": "forwarded to {agency}"},
    "status_comment": {"th": "ความเห็นจากเจ้าหน้าที่: {note}", "en": "an officer wrote: {note}"},
    "status_closed": {"th": "ปิดเรื่องแล้ว ({state})", "en": "closed ({state})"},
    "status_after_photo": {"th": "มีรูปหลังแก้ไข", "en": "with an after-photo"},
    "status_reopened": {"th": "เปิดเรื่องอีกครั้ง", "en": "reopened"},
    "status_invited": {"th": "เชิญ {agency} ร่วมดูแล", "en": "{agency} was invited to help"},
    "status_merged": {
        "th": "รวมกับเรื่อง {ticket} ซึ่งเราจะแจ้งความคืบหน้าต่อ",
        "en": "merged into {ticket}; we will tell you of its progress",
    },
    "status_corrected": {"th": "ปรับการส่งเรื่อง", "en": "routing corrected"},
    "rate_ask": {
        "th": 'พอใจกับการแก้ไขแค่ไหน? กดให้ดาว หรือ "ยังไม่แก้" เพื่อเปิดเรื่องอีกครั้ง',
        "en": 'How happy are you with the fix? Tap the stars, or "Not fixed" to reopen it.',
    },
    "rated": {"th": "ขอบคุณสำหรับคะแนน {stars} ดาว", "en": "Thank you for the {stars} stars."},
    "reopened": {
        "th": "เปิดเรื่อง {ticket} อีกครั้งแล้ว",
        "en": "Report {ticket} is open again.",
    },
    "reopen_reason": {"th": "ยังไม่แก้ (แจ้งทาง LINE)", "en": "Not fixed (said on LINE)"},
    "refused": {"th": "ทำไม่ได้: {reason}", "en": "Not possible: {reason}"},
    "unknown_case": {"th": "ไม่พบเรื่องนี้", "en": "No such report."},
    # Button labels (at most 20 characters)
    "btn_location": {"th": "ส่งตำแหน่ง", "en": "Send location"},
    "btn_camera": {"th": "ถ่ายรูป", "en": "Take a photo"},
    "btn_roll": {"th": "เลือกรูป", "en": "Choose a photo"},
    "btn_no_photo": {"th": "ไม่มีรูป", "en": "No photo"},
    "btn_confirm": {"th": "ส่งเรื่อง", "en": "Send report"},
    "btn_cancel": {"th": "ยกเลิก", "en": "Cancel"},
    "btn_me_too": {"th": "ฉันด้วย", "en": "Me too"},
    "btn_not_fixed": {"th": "ยังไม่แก้", "en": "Not fixed"},
    "btn_report": {"th": "แจ้งปัญหา", "en": "Report"},
    "btn_my_reports": {"th": "รายงานของฉัน", "en": "My reports"},
    "btn_dashboard": {"th": "ภาพรวม", "en": "Dashboard"},
    "place_pin": {"th": "หมุดบนแผนที่", "en": "pin on the map"},
}

CANCEL_WORDS = frozenset({"cancel", "ยกเลิก", "stop"})
MY_REPORTS_WORDS = frozenset({"my reports", "รายงานของฉัน", "เรื่องของฉัน", "reports"})
HELP_WORDS = frozenset({"help", "ช่วย", "ช่วยด้วย", "วิธีใช้", "?"})
CONFIRM_WORDS = frozenset({"confirm", "ส่งเรื่อง", "ยืนยัน"})


def say(key: str, language: str, **values: object) -> str:
    text = WORDS[key].get(language) or WORDS[key]["th"]
    return text.format(**values) if values else text


def state_name(state: str, language: str) -> str:
    try:
        known = State(state)
    except ValueError:
        return state
    return STATE_NAMES_EN.get(known, state) if language == "en" else str(known.label)


def language_of(line_language: str) -> str:
    """Thai unless the user's LINE app is in English."""
    return "en" if line_language.lower().startswith("en") else "th"
