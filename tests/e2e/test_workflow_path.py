"""The whole road of a circular in a real browser: drafted, submitted, initialled twice, signed,
distributed, read and acknowledged by a province, closed, each step by the person whose job it is,
through the admin's workflow page."""

import pytest

from workflows.demo import DEMO_PASSWORD

from .conftest import DESKTOP, _new_page


def log_in(browser, base_url: str, username: str):
    context, page = _new_page(browser, base_url, DESKTOP)
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    return context, page


def act(browser, base_url, username, circular_pk, transition, comment="", fields=None):
    context, page = log_in(browser, base_url, username)
    try:
        page.goto(f"/admin/wian/circulars/{circular_pk}/")
        form = page.locator(f"#wian-transition-{transition}")
        assert form.count() == 1, f"{username} sees no “{transition}” action"
        if comment:
            form.locator("textarea").first.fill(comment)
        for name, value in (fields or {}).items():
            form.locator(f"[name$={name}]").fill(value)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        return page.content()
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_draft_to_closed_in_the_browser(browser, demo_site):
    from cms.circulars.models import CircularPage

    circular = CircularPage.objects.get(source_id="demo:wf-editing")
    base = demo_site.url
    steps = [
        ("drafter", "submit", ""),
        ("endorser", "endorse", "ถูกต้อง"),
        ("deputy", "endorse", ""),
        ("signatory", "sign", ""),
        ("registrar", "distribute", ""),
    ]
    for username, transition, comment in steps:
        act(browser, base, username, circular.pk, transition, comment)
    circular.refresh_from_db()
    assert circular.state == "distributed" and circular.live
    assert circular.doc_running is not None

    # Only the endorsers' and signatory's turns were theirs: a wrong user sees no button.
    context, page = log_in(browser, base, "drafter-0810")
    response = page.goto(f"/admin/wian/circulars/{circular.pk}/")
    assert response.status in (403, 404) or "#wian-transition-close" not in page.content()
    context.close()

    # Bangkok's officer opens it on the public site and acknowledges receipt.
    context, page = log_in(browser, base, "officer-bkk")
    page.goto(circular.url)
    assert "ที่" in page.locator("article.letter").inner_text()
    context.close()
    act(
        browser,
        base,
        "officer-bkk",
        circular.pk,
        "acknowledge",
        fields={"receive_number": "๔๕๖๗", "receive_date": "23/11/2569"},
    )
    recipient = circular.recipients.get(province__code=10)
    assert recipient.opened_at is not None and recipient.acknowledged_at is not None
    assert recipient.receive_number == "๔๕๖๗"

    act(browser, base, "registrar", circular.pk, "close")
    circular.refresh_from_db()
    assert circular.state == "closed"
    assert [h.transition for h in circular.history.order_by("sequence")] == [
        "submit",
        "endorse",
        "endorse",
        "sign",
        "distribute",
        "acknowledge",
        "close",
    ]

    # The public sees it, with its verification code, without logging in.
    context, page = _new_page(browser, base, DESKTOP)
    page.goto(circular.url)
    text = page.locator("body").inner_text()
    assert circular.doc_number in text
    assert circular.verification_code in text
    page.screenshot(path="/tmp/wian-closed-circular.png", full_page=True)
    context.close()
