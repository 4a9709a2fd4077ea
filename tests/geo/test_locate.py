"""locate(): the district of a point, its border flag, fallbacks and refusals."""

from __future__ import annotations

import pytest
import shapely

from pracha.geo.boundaries import AreaShape
from pracha.geo.bounds import CoordinateError
from pracha.geo.index import AreaIndex, OutsideThailand

# Two 1 km squares side by side in Bangkok, and a third far away; lon 100.51 is their border.
# At latitude 13.705 a metre is about 0.00000925 degrees of longitude.
METRE = 1 / 108_150


def square(code: str, name: str, west: float, south: float = 13.70) -> AreaShape:
    return AreaShape(
        code=code,
        name_th=name,
        name_en=name.upper(),
        province="กรุงเทพมหานคร",
        province_code="10",
        geometry=shapely.box(west, south, west + 0.01, south + 0.01),
    )


@pytest.fixture(scope="module")
def squares() -> AreaIndex:
    return AreaIndex(
        [
            square("1001", "ก", 100.50),
            square("1002", "ข", 100.51),
            square("1003", "ค", 100.60),
        ]
    )


def test_inside_far_from_the_border(squares: AreaIndex) -> None:
    location = squares.locate(100.505, 13.705)
    assert (location.district, location.area_code, location.district_en) == (
        "ก",
        "1001",
        "ก".upper(),
    )
    assert location.method == "polygon"
    assert location.near_boundary is False
    assert location.distance_m == 0


def test_within_15_m_of_a_border_is_near_it(squares: AreaIndex) -> None:
    location = squares.locate(100.51 - 10 * METRE, 13.705)
    assert location.district == "ก"
    assert location.near_boundary is True
    assert location.neighbours == ("ข",)


def test_20_m_from_the_border_is_not_near_it(squares: AreaIndex) -> None:
    location = squares.locate(100.51 - 20 * METRE, 13.705)
    assert (location.district, location.near_boundary, location.neighbours) == ("ก", False, ())


def test_near_a_border_the_address_decides_between_the_neighbours(squares: AreaIndex) -> None:
    location = squares.locate(100.51 - 10 * METRE, 13.705, "แขวง ทดสอบ เขตข กรุงเทพมหานคร")
    assert (location.district, location.method) == ("ข", "address")
    assert location.subdistrict == "ทดสอบ"
    assert location.neighbours == ("ก",)


def test_away_from_the_border_the_polygon_wins_over_the_address(squares: AreaIndex) -> None:
    location = squares.locate(100.51 - 20 * METRE, 13.705, "แขวง ทดสอบ เขตข กรุงเทพมหานคร")
    assert (location.district, location.method) == ("ก", "polygon")
    # The address's sub-district belongs to its own district, not to this one.
    assert location.subdistrict == ""


def test_an_address_naming_a_district_that_is_not_adjacent_is_ignored(
    squares: AreaIndex,
) -> None:
    location = squares.locate(100.51 - 10 * METRE, 13.705, "เขตค")
    assert (location.district, location.method) == ("ก", "polygon")


def test_the_subdistrict_comes_from_the_address_when_it_agrees(squares: AreaIndex) -> None:
    assert squares.locate(100.505, 13.705, "แขวง หนึ่ง เขตก").subdistrict == "หนึ่ง"
    assert squares.locate(100.505, 13.705, "แขวง หนึ่ง").subdistrict == "หนึ่ง"


def test_a_gap_or_coast_point_gets_the_nearest_district(squares: AreaIndex) -> None:
    location = squares.locate(100.50 - 300 * METRE, 13.705)
    assert (location.district, location.method) == ("ก", "nearest")
    assert 290 < location.distance_m < 310
    assert location.near_boundary is False


def test_beyond_the_coast_tolerance_a_point_is_not_in_the_country(squares: AreaIndex) -> None:
    with pytest.raises(OutsideThailand, match="km from the nearest Thai district"):
        squares.locate(100.50 - 3000 * METRE, 13.705)


def test_containing_answers_without_checks(squares: AreaIndex) -> None:
    assert squares.containing(100.515, 13.705) == 1
    assert squares.containing(100.55, 13.705) is None


# --- the shipped boundary files -------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "district", "province"),
    [
        (13.7563, 100.5018, "พระนคร", "กรุงเทพมหานคร"),
        (13.7291, 100.5340, "บางรัก", "กรุงเทพมหานคร"),
        (13.8621, 100.5144, "เมืองนนทบุรี", "นนทบุรี"),  # outside Bangkok: a Thai district
        (18.7883, 98.9853, "เมืองเชียงใหม่", "เชียงใหม่"),
        (7.8804, 98.3923, "เมืองภูเก็ต", "ภูเก็ต"),  # an island
    ],
)
def test_real_districts(
    districts: AreaIndex, lat: float, lon: float, district: str, province: str
) -> None:
    location = districts.locate(lon, lat)
    assert (location.district, location.province) == (district, province)
    assert location.in_bangkok is (province == "กรุงเทพมหานคร")


def test_bangkok_uses_the_citys_own_file_and_spelling(districts: AreaIndex) -> None:
    location = districts.locate(100.5069, 13.6731)  # Rat Burana
    assert location.district == "ราษฎร์บูรณะ"
    assert location.area_code == "1024"


def test_a_real_border_between_two_bangkok_districts(districts: AreaIndex) -> None:
    # 5 m inside Bang Rak from its border with Pathum Wan.
    location = districts.locate(100.536069, 13.729779)
    assert (location.district, location.near_boundary) == ("บางรัก", True)
    assert "ปทุมวัน" in location.neighbours
    assert districts.locate(100.536069, 13.729779, "เขตปทุมวัน").district == "ปทุมวัน"
    # 40 m inside: not near the border, and the address does not move it.
    assert districts.locate(100.535754, 13.729705, "เขตปทุมวัน").district == "บางรัก"


def test_a_gap_between_bangkok_and_nonthaburi(districts: AreaIndex) -> None:
    # A real ticket between Bangkok's Bang Phlat and Nonthaburi's Bang Kruai polygons.
    location = districts.locate(100.48491, 13.79483)
    assert location.method == "nearest"
    assert 0 < location.distance_m < 100
    named = districts.locate(100.48491, 13.79483, "แขวง บางพลัด เขตบางพลัด กรุงเทพมหานคร")
    assert (named.district, named.method) == ("บางพลัด", "address")


def test_just_off_bangkoks_coast(districts: AreaIndex) -> None:
    location = districts.locate(100.43898, 13.49082)  # 600 m into the Gulf
    assert (location.district, location.method) == ("บางขุนเทียน", "nearest")
    assert 500 < location.distance_m < 800


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (13.46382, 100.43898),  # 3 km out to sea off Bang Khun Thian
        (17.9757, 102.6331),  # Vientiane, Laos: inside Thailand's bounding box
        (11.5564, 104.9282),  # Phnom Penh, Cambodia
    ],
)
def test_points_abroad_are_refused(districts: AreaIndex, lat: float, lon: float) -> None:
    with pytest.raises(OutsideThailand, match="is not in Thailand"):
        districts.locate(lon, lat)


def test_far_outside_the_bounding_box(districts: AreaIndex) -> None:
    with pytest.raises(CoordinateError, match="outside Thailand"):
        districts.locate(2.35, 48.85)


def test_swapped_lat_and_lon_are_named_as_such(districts: AreaIndex) -> None:
    with pytest.raises(CoordinateError, match="lat and lon look swapped"):
        districts.locate(13.7563, 100.5018)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "13.7"])
def test_non_numbers_are_refused(districts: AreaIndex, bad: object) -> None:
    with pytest.raises(CoordinateError):
        districts.locate(100.5, bad)  # type: ignore[arg-type]


def test_find_by_name(districts: AreaIndex) -> None:
    area = districts.find("เขตราษฏร์บูรณะ")
    assert area is not None and area.code == "1024"
    chiang_mai = districts.find("จอมทอง", "เชียงใหม่")
    assert chiang_mai is not None and chiang_mai.province == "เชียงใหม่"
    assert districts.find("แอตแลนติส") is None


def test_the_source_systems_district_wins_near_the_point(squares: AreaIndex) -> None:
    # 60 m inside ก: another system, drawing the border elsewhere, put the report in ข.
    location = squares.locate(100.51 - 60 * METRE, 13.705, source_district="เขตข")
    assert (location.district, location.method, location.point_district) == ("ข", "source", "ก")
    assert 55 < location.distance_m < 65
    assert location.near_boundary is True
    assert location.neighbours == ("ก",)


def test_the_source_systems_district_beside_the_address(squares: AreaIndex) -> None:
    # The address's sub-district stays only when the address names the chosen district.
    agreeing = squares.locate(100.51 - 5 * METRE, 13.705, "แขวง สอง เขตข", source_district="ข")
    assert (agreeing.district, agreeing.subdistrict) == ("ข", "สอง")
    other = squares.locate(100.51 + 5 * METRE, 13.705, "แขวง หนึ่ง เขตข", source_district="ก")
    assert (other.district, other.method, other.subdistrict) == ("ก", "source", "")


def test_a_source_district_far_from_the_point_or_unknown_is_ignored(squares: AreaIndex) -> None:
    far = squares.locate(100.51 - 150 * METRE, 13.705, source_district="ข")
    assert (far.district, far.method, far.point_district) == ("ก", "polygon", "")
    assert squares.locate(100.505, 13.705, source_district="ค").district == "ก"
    assert squares.locate(100.505, 13.705, source_district="ไม่มีเขตนี้").method == "polygon"
    same = squares.locate(100.505, 13.705, source_district="เขตก")
    assert (same.district, same.method) == ("ก", "polygon")
