"""The demo forms load once and can be answered by the demo users."""

import pytest
from django.core.management import call_command

from responses import services
from responses.demo import DEMO_LOCAL_SLUG, DEMO_SURVEY_SLUG, ensure_demo_forms
from responses.models import ResponseFormPage

pytestmark = pytest.mark.django_db


def test_demo_forms_are_made_once_and_answerable(capsys):
    made = ensure_demo_forms()
    again = ensure_demo_forms()
    assert {f.pk for f in made["forms"].values()} == {f.pk for f in again["forms"].values()}
    survey = ResponseFormPage.objects.get(slug=DEMO_SURVEY_SLUG)
    local = ResponseFormPage.objects.get(slug=DEMO_LOCAL_SLUG)
    assert survey.is_open() and local.is_open()
    assert survey.schema()[0].is_table and len(survey.schema()[0].columns) == 8
    organisation = services.respondent_for(made["local_user"], local)
    assert organisation == made["local_organisation"]
    call_command("load_response_demo")
    assert "/forms/" in capsys.readouterr().out
