"""Places named in a free-text address."""

from __future__ import annotations

from pracha.geo.address import AddressPlaces, places_in_address


def test_a_geocoded_bangkok_address() -> None:
    text = "164 ซอย สุขุมวิท 21 แขวง คลองเตยเหนือ เขตวัฒนา กรุงเทพมหานคร 10110 ประเทศไทย"
    assert places_in_address(text) == AddressPlaces("คลองเตยเหนือ", "วัฒนา", "กรุงเทพมหานคร")


def test_the_geocoders_places_after_the_reporters_win() -> None:
    text = (
        "139 ถนนรัชดาภิเษก แขวงดินแดง เขตดินแดง จังหวัดกรุงเทพมหานคร 10400 "
        "แขวง ดินแดง เขตห้วยขวาง กรุงเทพมหานคร 10400 ประเทศไทย"
    )
    places = places_in_address(text)
    assert (places.district, places.subdistrict) == ("ห้วยขวาง", "ดินแดง")


def test_a_province_outside_bangkok() -> None:
    text = "GCX9+G2Q ตำบล พันท้ายนรสิงห์ อำเภอเมืองสมุทรสาคร สมุทรสาคร 10150 ประเทศไทย"
    places = places_in_address(text)
    assert (places.subdistrict, places.district) == ("พันท้ายนรสิงห์", "เมืองสมุทรสาคร")
    assert places.province == ""  # not named with จังหวัด, and not a khet


def test_misspelt_district_is_normalised() -> None:
    assert places_in_address("แขวง บางปะกอก เขตราษฏร์บูรณะ กรุงเทพฯ").district == "ราษฎร์บูรณะ"


def test_no_address_names_nothing() -> None:
    assert places_in_address("") == AddressPlaces()
    assert places_in_address(None) == AddressPlaces()
    assert places_in_address("QM3X+CF กรุงเทพมหานคร ประเทศไทย") == AddressPlaces(
        "", "", "กรุงเทพมหานคร"
    )


def test_a_words_containing_khet_is_not_a_district() -> None:
    # "ประเภท" contains no prefix at a word start; "สังเขต" must not yield a district.
    assert places_in_address("ทางสังเขตไม่มี").district == ""
