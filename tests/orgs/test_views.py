"""Pages of the directory: bad input gives a clear message, changes nothing, never a 500."""

import pytest
from auditlog.models import LogEntry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import login
from ttdn.orgs.models import OrgUnit


@pytest.mark.django_db
def test_wrong_as_of_date_gives_a_message_not_an_error() -> None:
    response = login("cuc.canbo").get("/orgs/", {"as_of": "31/02/2012", "kind": "province"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ngày “31/02/2012” không hợp lệ" in page
    assert response.context["total"] == 34  # fell back to today


@pytest.mark.django_db
def test_as_of_switch() -> None:
    client = login("cuc.canbo")
    assert client.get("/orgs/", {"as_of": "31/12/2012", "kind": "province"}).context["total"] == 63
    assert client.get("/orgs/", {"as_of": "2025-07-01", "kind": "province"}).context["total"] == 34


@pytest.mark.django_db
def test_tampered_filters_are_ignored() -> None:
    response = login("cuc.canbo").get(
        "/orgs/", {"kind": "<script>", "view": "x", "sort": "password", "page": "abc"}
    )
    assert response.status_code == 200
    assert "không hợp lệ nên đã được bỏ qua" in response.content.decode()


@pytest.mark.django_db
def test_unknown_code_is_a_vietnamese_404() -> None:
    response = login("cuc.canbo").get("/orgs/KHONG-CO/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_403_page_is_vietnamese() -> None:
    response = login("dongnai.canbo").get("/orgs/T44-2025/private/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


@pytest.mark.django_db
def test_tampered_contact_form_changes_only_allowed_fields() -> None:
    client = login("quangtri.canbo")
    before = OrgUnit.objects.get(code="T44-2025")
    response = client.post(
        "/orgs/T44-2025/private/",
        {
            "address": "Số 45 Hùng Vương, Đông Hà",
            "phone": "0233 3852 123",
            "email": "vhttdl@quangtri.gov.vn",
            "focal_point": "Phòng TTĐN",
            "name": "Tỉnh Giả Mạo",
            "kind": "ministry",
            "code": "HACK",
            "valid_to": "2020-01-01",
            "parent": "1",
        },
    )
    assert response.status_code == 302
    after = OrgUnit.objects.get(code="T44-2025")
    assert (after.name, after.kind, after.valid_to, after.parent_id) == (
        before.name,
        before.kind,
        before.valid_to,
        before.parent_id,
    )
    assert after.phone == "0233 3852 123"
    entry = LogEntry.objects.get_for_object(after).latest("timestamp")
    assert entry.actor.username == "quangtri.canbo"
    assert entry.changes_dict["phone"] == ["", "0233 3852 123"]


@pytest.mark.django_db
def test_invalid_contact_form_saves_nothing() -> None:
    client = login("quangtri.canbo")
    logs = LogEntry.objects.count()
    response = client.post(
        "/orgs/T44-2025/private/",
        {"address": "A", "phone": "1", "email": "khong-phai-email", "focal_point": ""},
    )
    assert response.status_code == 400
    assert "Chưa lưu" in response.content.decode()
    assert OrgUnit.objects.get(code="T44-2025").address == ""
    assert LogEntry.objects.count() == logs


@pytest.mark.django_db
def test_post_to_another_units_page_is_refused() -> None:
    response = login("quangtri.canbo").post("/orgs/T75-2025/private/", {"phone": "999"})
    assert response.status_code == 403
    assert OrgUnit.objects.get(code="T75-2025").phone == ""


@pytest.mark.django_db
def test_viewer_in_scope_cannot_post(unit) -> None:  # noqa: ANN001
    client = login("cuc.phantich")  # analyst: reads everything, writes nothing
    response = client.post("/orgs/T44-2025/private/", {"phone": "999"})
    assert response.status_code == 403
    assert unit("T44-2025").phone == ""


@pytest.mark.django_db
def test_audit_trail_visible_to_administrator() -> None:
    login("quangtri.canbo").post(
        "/orgs/T44-2025/private/", {"address": "", "phone": "0233 000", "email": "", "focal_point": ""}
    )
    page = login("quantri").get("/orgs/T44-2025/audit/").content.decode()
    assert "quangtri.canbo" in page and "0233 000" in page


@pytest.mark.django_db
def test_body_page_shows_history() -> None:
    page = login("bng.xem").get("/orgs/T70/").content.decode()
    assert "Không còn hoạt động" in page
    assert "Tỉnh Đồng Nai" in page and "01/07/2025" in page


@pytest.mark.django_db
def test_csv_export() -> None:
    response = login("cuc.canbo").get("/orgs/export.csv", {"as_of": "31/12/2012", "kind": "province"})
    text = response.content.decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 64
    assert "Tỉnh Bà Rịa - Vũng Tàu" in text


@pytest.mark.django_db
def test_english_interface() -> None:
    client = login("cuc.canbo")
    client.post("/i18n/setlang/", {"language": "en", "next": "/orgs/"})
    page = client.get("/orgs/").content.decode()
    assert "Body directory" in page


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60), as_of=st.text(max_size=20), kind=st.text(max_size=10))
def test_directory_never_fails(q: str, as_of: str, kind: str) -> None:
    client = login("cuc.canbo")
    response = client.get(
        "/orgs/",
        {"q": q.replace("\x00", ""), "as_of": as_of.replace("\x00", ""), "kind": kind.replace("\x00", "")},
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_parent_filter_lists_a_provinces_communes() -> None:
    client = login("cuc.canbo")
    response = client.get("/orgs/", {"kind": "commune", "parent": "T75-2025"})
    assert response.context["total"] == 95
    assert "Trực thuộc: Tỉnh Đồng Nai" in response.content.decode()
    bad = client.get("/orgs/", {"kind": "commune", "parent": "KHONG-CO"})
    assert bad.status_code == 200
    assert "không hợp lệ nên đã được bỏ qua" in bad.content.decode()


@pytest.mark.django_db
def test_admin_correction_keeps_search_in_step() -> None:
    client = login("quantri")
    unit = OrgUnit.objects.get(code="BNG")
    page = client.get(f"/admin/orgs/orgunit/{unit.pk}/change/")
    assert page.status_code == 200
    response = client.post(
        f"/admin/orgs/orgunit/{unit.pk}/change/",
        {
            "name": "Bộ Ngoại giao nước CHXHCN Việt Nam",
            "short_name": "",
            "kind": "ministry",
            "valid_from": "",
            "valid_to": "",
            "source": unit.source,
            "address": "",
            "phone": "",
            "email": "",
            "focal_point": "",
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert "chxhcn" in unit.search_text
    assert unit.path == "/BNG/"
    assert LogEntry.objects.get_for_object(unit).latest("timestamp").actor.username == "quantri"
    assert login("cuc.canbo").get(f"/admin/orgs/orgunit/{unit.pk}/change/").status_code == 302


def test_500_page_is_vietnamese_and_self_contained(rf) -> None:  # noqa: ANN001
    from ttdn.site.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.content.decode()
    assert "Dữ liệu của bạn chưa bị thay đổi" in response.content.decode()
