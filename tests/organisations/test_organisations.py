import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cms.organisations.models import Membership, Province, Unit
from cms.organisations.provinces import load_provinces

pytestmark = pytest.mark.django_db


def test_all_77_provincial_units_are_loaded_by_migration():
    provinces = Province.objects.all()
    assert provinces.count() == 77
    codes = sorted(provinces.values_list("code", flat=True))
    assert codes[0] == 10 and codes[-1] == 96
    assert len(set(codes)) == 77
    assert Province.objects.get(code=10).name_th == "กรุงเทพมหานคร"
    assert Province.objects.get(code=50).name_en == "Chiang Mai"
    assert Province.objects.get(code=38).name_th == "บึงกาฬ"
    assert Province.objects.get(code=96).iso_code == "TH-96"


def test_every_province_has_a_thai_and_an_english_name():
    for record in load_provinces():
        assert any("\u0e01" <= ch <= "\u0e5b" for ch in record.name_th), record
        assert record.name_en.isascii(), record


def test_unit_code_builds_the_number_prefix():
    unit = Unit.objects.create(code="๐๘๑๒", name="กลุ่มพัฒนาระบบบริหาร")
    assert unit.code == "0812"
    assert unit.circular_number_prefix() == "มท ๐๘๑๒/ว"
    assert unit.circular_number_prefix(digits="arabic") == "มท 0812/ว"


def test_unit_code_is_validated():
    with pytest.raises(ValidationError):
        Unit(code="08x2", name="ผิด").full_clean()


def test_a_user_belongs_to_a_unit_or_a_province_not_both(django_user_model):
    unit = Unit.objects.create(code="0810", name="กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น")
    province = Province.objects.get(code=50)
    user = django_user_model.objects.create_user("officer")
    membership = Membership(user=user, unit=unit, province=province)
    with pytest.raises(ValidationError):
        membership.clean()
    with pytest.raises(IntegrityError):
        membership.save()


def test_admin_lists_units_provinces_and_memberships(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.go.th", "pw")
    client.force_login(admin)
    Unit.objects.create(code="0812", name="กลุ่มพัฒนาระบบบริหาร")
    assert "กลุ่มพัฒนาระบบบริหาร" in client.get("/admin/snippets/organisations/unit/").content.decode()
    provinces = client.get("/admin/snippets/organisations/province/").content.decode()
    assert "เชียงใหม่" in provinces
    response = client.post(
        "/admin/snippets/organisations/membership/add/",
        {"user": admin.pk, "unit": Unit.objects.get().pk, "province": ""},
    )
    assert response.status_code == 302
    assert Membership.objects.get().unit.code == "0812"
