"""50 signatures at once on PostgreSQL: 50 distinct, consecutive register numbers."""

import threading

import pytest
from django.db import connections

from cms.circulars.models import CircularPage
from tests.support import requires_postgres
from workflows.models import RegisterEntry
from workflows.services import fire

SIGNERS = 50


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_signings_get_fifty_consecutive_numbers(
    migrated_rows, at_position, people
):
    drafts = [at_position("draft:endorsed") for _ in range(SIGNERS)]
    barrier = threading.Barrier(SIGNERS)
    errors: list[BaseException] = []
    signatory_pk = people["signatory"].pk

    def sign(pk: int) -> None:
        from django.contrib.auth import get_user_model

        try:
            signer = get_user_model().objects.get(pk=signatory_pk)
            circular = CircularPage.objects.get(pk=pk)
            barrier.wait(timeout=30)
            fire(circular, "sign", signer)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(d.pk,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    numbers = sorted(
        CircularPage.objects.filter(pk__in=[d.pk for d in drafts]).values_list(
            "doc_running", flat=True
        )
    )
    assert numbers == list(range(1, SIGNERS + 1))
    assert RegisterEntry.objects.count() == SIGNERS
    assert (
        CircularPage.objects.filter(pk__in=[d.pk for d in drafts], state="signed").count()
        == SIGNERS
    )
