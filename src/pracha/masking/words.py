"""Word lists for recognising Thai licence plates and spelled-out e-mails (used by masking.py)."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


# The 77 provinces as they are printed on plates, and the short forms people type.
PROVINCES = _words(
    "กรุงเทพมหานคร กระบี่ กาญจนบุรี กาฬสินธุ์ กำแพงเพชร ขอนแก่น จันทบุรี ฉะเชิงเทรา ชลบุรี "
    "ชัยนาท ชัยภูมิ ชุมพร เชียงราย เชียงใหม่ ตรัง ตราด ตาก นครนายก นครปฐม นครพนม นครราชสีมา "
    "นครศรีธรรมราช นครสวรรค์ นนทบุรี นราธิวาส น่าน บึงกาฬ บุรีรัมย์ ปทุมธานี ประจวบคีรีขันธ์ "
    "ปราจีนบุรี ปัตตานี พระนครศรีอยุธยา พะเยา พังงา พัทลุง พิจิตร พิษณุโลก เพชรบุรี เพชรบูรณ์ "
    "แพร่ ภูเก็ต มหาสารคาม มุกดาหาร แม่ฮ่องสอน ยโสธร ยะลา ร้อยเอ็ด ระนอง ระยอง ราชบุรี ลพบุรี "
    "ลำปาง ลำพูน เลย ศรีสะเกษ สกลนคร สงขลา สตูล สมุทรปราการ สมุทรสงคราม สมุทรสาคร สระแก้ว "
    "สระบุรี สิงห์บุรี สุโขทัย สุพรรณบุรี สุราษฎร์ธานี สุรินทร์ หนองคาย หนองบัวลำภู อ่างทอง "
    "อำนาจเจริญ อุดรธานี อุตรดิตถ์ อุทัยธานี อุบลราชธานี"
)
PROVINCE_SHORT_FORMS = ("กรุงเทพฯ", "กรุงเทพ", "กทม.", "กทม", "อยุธยา", "โคราช", "เบตง")
# Province names that are also everyday words ("เลย" = at all, "ตาก" = to dry): they count
# after a plate only when written with จ. or จังหวัด.
AMBIGUOUS_PROVINCES = frozenset(
    _words("เลย ตาก แพร่ น่าน ตรัง ตราด ยะลา ระนอง สตูล พังงา พะเยา ชุมพร เบตง")
)

# Words right before a plate: "ทะเบียน" makes almost anything after it a plate; a vehicle
# word ("รถเก๋ง กข 1234", "รถกข1234") only allows the plate to be glued to it.
STRONG_PLATE_CUES = ("ป้ายทะเบียน", "เลขทะเบียน", "ทะเบียนรถ", "ทะเบียน", "plate", "Plate")
PLATE_CUES = (
    "รถยนต์",
    "รถเก๋ง",
    "รถกระบะ",
    "รถตู้",
    "รถบรรทุก",
    "แท็กซี่",
    "มอเตอร์ไซค์",
    "มอเตอร์ไซด์",
    "มอเตอร์ไซต์",
    "แทกซี่",
    "มอไซค์",
    "จักรยานยนต์",
    "รถ",
)

# Everyday words written with two consonants only, which a number often follows
# ("คน 5", "รถ 2"), and abbreviations typed without their dots ("มค 2566", "กม 3").
COMMON_TWO_CONSONANT_WORDS = frozenset(
    _words(
        """
    คน รถ ผม กม ซม มม ตร นม ลม ฝน จน ยก ตก สด กด ขน มด ปก งบ จบ รก ชน ลง พบ ถม ลบ นก กบ หก ปน
    ผล ทน คง จด รส บท กฎ ถก หด อด อบ อม ชง ขด คด งง ดม ตม รอ ขอ พอ ตอ หอ บอ ปม สม ยม กล คล
    มค กพ พค กค สค กย ตค พย ธค พศ คศ จศ รพ รร สน ผบ ผอ รอง ชค ปอ นร กก พฤ อา หม สว นศ ปส ทล
    """
    )
)

# Classifiers and units: "ซอย 12 จุด", "ลึก 30 ซม." make the number a quantity, not a plate.
UNITS = (
    "คัน",
    "คน",
    "ครั้ง",
    "จุด",
    "ตัว",
    "ต้น",
    "วัน",
    "ปี",
    "เดือน",
    "สัปดาห์",
    "อาทิตย์",
    "ชั่วโมง",
    "ชม",
    "นาที",
    "โมง",
    "ทุ่ม",
    "น.",
    "เมตร",
    "ม.",
    "ซม",
    "มม",
    "กม",
    "กิโล",
    "บาท",
    "แห่ง",
    "หลัง",
    "ชั้น",
    "ราย",
    "ลิตร",
    "ตร",
    "%",
    "ล้าน",
    "พัน",
    "หมื่น",
    "แสน",
    "ร้อย",
    "ห้อง",
    "เส้น",
    "ท่อ",
    "ฝา",
    "บ่อ",
    "ช่อง",
    "เสา",
    "ดวง",
    "แผ่น",
    "ก้อน",
    "กอง",
    "ถุง",
    "ลูก",
    "ใบ",
    "เครื่อง",
    "หลุม",
    "ซอย",
    "ข้อ",
    "รอบ",
)

# Month abbreviations typed without their dots ("6พย2562", "มค 66").
MONTHS = frozenset(_words("มค กพ มีค เมย พค มิย กค สค กย ตค พย ธค"))

# Spelled-out "@" and "." in e-mail addresses typed to slip past filters: "somchai [at]
# example [dot] com", "somchai แอท gmail ดอท com". English words count only between spaces
# or in brackets ("at" and "dot" are everyday words); the Thai ones also glued to the address.
AT_WORDS = ("at", "แอท", "แอ็ท")
DOT_WORDS = ("dot", "ดอท", "ด็อท", "จุด")
THAI_AT_WORDS = ("แอท", "แอ็ท")
THAI_DOT_WORDS = ("ดอท", "ด็อท", "จุด")
