"""Local administrative organisations (อปท.): the synthetic generator and memberships."""

import pytest
from django.db import IntegrityError, transaction

from cms.organisations.local_organisations import (
    generate_local_organisations,
    local_organisation_rows,
)
from cms.organisations.models import LocalOrganisation, Membership, Province

pytestmark = pytest.mark.django_db


def test_the_full_set_is_about_the_real_number_and_deterministic():
    rows = local_organisation_rows()
    assert len(rows) == 7850
    assert len({row.code for row in rows}) == 7850
    assert all(len(row.code) == 7 and row.code.isdigit() for row in rows)
    assert {row.province.code for row in rows} == set(
        Province.objects.exclude(code=10).values_list("code", flat=True)
    )
    assert [r.code for r in rows[:50]] == [r.code for r in local_organisation_rows()[:50]]
    kinds = {row.kind for row in rows}
    assert kinds == set(LocalOrganisation.Kind.values)
    provincial = [r for r in rows if r.kind == LocalOrganisation.Kind.PROVINCIAL]
    assert len(provincial) == 76
    assert any(r.name.startswith("องค์การบริหารส่วนตำบล") for r in rows)


def test_generating_twice_creates_nothing_new():
    chiang_mai = Province.objects.filter(code=50)
    first = generate_local_organisations(per_province=4, provinces=chiang_mai)
    again = generate_local_organisations(per_province=4, provinces=chiang_mai)
    assert [o.pk for o in first] == [o.pk for o in again]
    assert LocalOrganisation.objects.count() == 4
    assert first[0].name == "องค์การบริหารส่วนจังหวัดเชียงใหม่"


def test_a_user_belongs_to_one_place_only(django_user_model):
    organisation = generate_local_organisations(
        per_province=1, provinces=Province.objects.filter(code=50)
    )[0]
    user = django_user_model.objects.create_user("lao")
    Membership.objects.create(user=user, local_organisation=organisation)
    membership = Membership(
        user=django_user_model.objects.create_user("both"),
        local_organisation=organisation,
        province=organisation.province,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_the_command(capsys):
    from django.core.management import call_command

    call_command("generate_local_organisations", "--per-province", "2")
    assert LocalOrganisation.objects.count() == 152
