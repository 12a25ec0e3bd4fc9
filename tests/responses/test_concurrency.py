"""Concurrent submissions on PostgreSQL: one response per province, no submission lost."""

import threading

import pytest
from django.db import connections

from responses import services
from responses.models import Response, ResponseVersion
from tests.support import requires_postgres

THREADS = 8


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_many_tabs_submitting_at_once_make_one_response(migrated_rows, small_form, officer):
    province = services.respondent_for(officer, small_form)
    barrier = threading.Barrier(THREADS)
    errors = []

    def send(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.submit(
                small_form,
                province,
                {
                    "ตารางความร่วมมือ": [{"ชื่อบริการสาธารณะ": f"บริการจากแท็บ {n}"}],
                    "ชื่อผู้รายงาน": f"ผู้รายงาน {n}",
                },
                {},
                None,
                edit_token=0,
            )
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    response = Response.objects.get(form=small_form)
    submissions = ResponseVersion.objects.filter(response=response, kind="submission")
    assert response.version == submissions.count() == THREADS
    assert sorted(submissions.values_list("version", flat=True)) == list(range(1, THREADS + 1))
    sent = {v.answers["ชื่อผู้รายงาน"] for v in submissions}
    assert sent == {f"ผู้รายงาน {n}" for n in range(THREADS)}
