"""Response forms under load: 77 provinces at once, then thousands of อปท. (issue 5 §7).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wian_bench_resp \\
        python -m benchmarks.bench_responses [--provinces-only] [--local N] [--threads T]

Needs a fresh database (``python -m benchmarks responses`` makes one). It migrates, creates the
demo circular and forms (responses.demo), the 7,850 synthetic อปท.
(cms.organisations.local_organisations) and one user per organisation, then starts its own
HTTP server (``--servers`` processes of Django's threaded WSGI server, each running at most
``--server-threads`` requests at a time, like a small gunicorn) and drives it over real HTTP
with ``requests``: the login page, CSRF tokens, session cookies, multipart uploads.

(a) 77 provinces, one thread each, all released at once: log in, open the survey table form,
    save a draft of three to four rows, submit, read the receipt. A small real PDF is uploaded.
    Some provinces misbehave on purpose: a double submit (the same POST, upload included, sent
    twice at the same moment), two tabs (each saves and submits over the other with an old
    edit token) and a session that expires before the draft is saved (kept, logged in again,
    restored, submitted).
(b) N อปท. (default 7,850) answer one form through a pool of ``--threads`` threads: log in,
    open, submit, read the receipt; one in a hundred submits twice at once.

It reports p50/p95/max latency of the submit POSTs, throughput and elapsed time, then checks
the database: exactly one Response per organisation, all submitted, the expected number of
versions (1; 2 for two tabs), what was sent kept, no stray file, nothing left pending. Any
lost or duplicated response, or any unexpected HTTP answer, makes the exit status 1.

SQLite works but serialises writers: the benchmark then runs one server process handling one
request at a time (concurrent submits would fail with "database is locked"). PostgreSQL is the
target. Passwords use the test settings' fast hasher: logins are not what is measured.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from responses import samples

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "wian-bench"
PROVINCES_WITHIN_SECONDS = 60
LOCAL_WITHIN_SECONDS = 3600
NORMAL, DOUBLE, TWO_TABS, TIMEOUT = "normal", "double submit", "two tabs", "session timeout"
EXPECTED_VERSIONS = {NORMAL: 1, DOUBLE: 1, TWO_TABS: 2, TIMEOUT: 1}
PDF_NAME = "สำเนาบันทึกข้อตกลง.pdf"


def minimal_pdf() -> bytes:
    return samples.minimal_pdf("Wian benchmark")


# -- the server -----------------------------------------------------------------------------------


def serve(port: int, threads: int) -> None:
    """Child process: Django's threaded WSGI server, at most `threads` requests in the app."""
    import django

    django.setup()
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Server(ThreadedWSGIServer):
        request_queue_size = 1024  # 77 browsers connecting at once must not be dropped

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    django_app = get_wsgi_application()
    gate = threading.BoundedSemaphore(threads)

    def app(environ, start_response):
        with gate:
            return django_app(environ, start_response)

    server = Server(("127.0.0.1", port), QuietHandler)
    server.set_app(app)
    print("ready", flush=True)
    server.serve_forever()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_servers(count: int, threads: int, log_dir: Path) -> tuple[list, list[str]]:
    processes, urls = [], []
    for n in range(count):
        port = free_port()
        log = open(log_dir / f"server-{n}.log", "w")  # closed by stop_servers
        process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_responses", "--serve", str(port)]
            + ["--server-threads", str(threads)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        process.log = log
        processes.append(process)
        if process.stdout.readline().strip() != "ready":
            stop_servers(processes)
            raise SystemExit(f"the benchmark server did not start; see {log.name}")
        urls.append(f"http://127.0.0.1:{port}")
    return processes, urls


def stop_servers(processes) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        process.log.close()


# -- what a browser sends -------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EDIT_TOKEN_RE = re.compile(r'name="edit_token" value="(\d*)"')
REFERENCE_RE = re.compile(r"WF-\d+-\d+-\d+")


@dataclass
class FormSpec:
    """What the client needs to know of a form: its URL, fields and a marker question."""

    url: str
    schema: list
    marker: str  # key of the question whose answer tells who sent what
    file_key: str | None

    def fields(self, marker: str, seed: int, rows: int = 3) -> list[tuple[str, str]]:
        """The posted fields of a filled form (files aside), as the browser sends them."""
        from responses import schema as S

        data = []
        for question in self.schema:
            name = S.field_name(question.key)
            if question.is_table:
                data.append((f"{name}.rows", str(rows)))
                for row in range(rows):
                    for column in question.columns:
                        cell = S.field_name(question.key, row, column.key)
                        data.extend((cell, v) for v in value_for(column, seed + row))
            elif question.is_file:
                data.append((f"{name}.sent", "1"))
            elif question.key == self.marker:
                data.append((name, marker))
            else:
                data.extend((name, v) for v in value_for(question, seed))
        return data


def value_for(question, seed: int) -> list[str]:
    """A plausible Thai answer for any question kind (a list: multiple choice sends several)."""
    from responses import schema as S

    kind = question.kind
    if kind == S.SHORT_TEXT:
        return [f"{question.label} ลำดับที่ {seed}"[:200]]
    if kind == S.LONG_TEXT:
        return [f"{question.label}\nรายละเอียดบรรทัดที่สอง ({seed})"]
    if kind == S.NUMBER:
        return [str(seed % 40 + 1)]
    if kind == S.DATE:
        return [f"{seed % 28 + 1:02d}/{seed % 12 + 1:02d}/2567"]  # Buddhist era
    if kind == S.SINGLE_CHOICE:
        return [question.choices[seed % len(question.choices)]]
    if kind == S.MULTIPLE_CHOICE:
        return question.choices[: seed % len(question.choices) + 1]
    if kind == S.YES_NO:
        return ["yes" if seed % 3 else "no"]
    if kind == S.EMAIL:
        return [f"saraban{seed}@example.go.th"]
    if kind == S.PHONE:
        return ["0 5311 2345 ต่อ 12"]
    return [""]


def form_spec(form) -> FormSpec:
    from responses import schema as S

    schema = form.schema()
    marker = next(q.key for q in schema if q.kind in (S.SHORT_TEXT, S.EMAIL, S.LONG_TEXT, S.PHONE))
    file_key = next((q.key for q in schema if q.is_file), None)
    return FormSpec(form.url, schema, marker, file_key)


class Failure(Exception):
    pass


@dataclass
class Stats:
    submit: list = field(default_factory=list)  # seconds per submit POST
    draft: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            getattr(self, kind).append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Browser:
    """One person's browser: a requests.Session against one of the servers."""

    def __init__(self, base: str, stats: Stats, who: str):
        import requests

        self.session = requests.Session()
        self.base, self.stats, self.who = base, stats, who

    def clone(self) -> Browser:
        """The same browser's second tab or second click (same cookies, own connection)."""
        other = Browser(self.base, self.stats, self.who)
        other.session.cookies.update(self.session.cookies)
        return other

    def close(self) -> None:
        self.session.close()

    def get(self, path: str, expect=(200,), **kwargs):
        response = self.session.get(self.base + path, timeout=300, **kwargs)
        if response.status_code not in expect:
            raise Failure(f"GET {path} → {response.status_code}")
        return response

    def post(self, path: str, data, files=None, expect=(303,), timed: str = ""):
        started = time.perf_counter()
        response = self.session.post(
            self.base + path, data=data, files=files, allow_redirects=False, timeout=300
        )
        if timed:
            self.stats.add(timed, time.perf_counter() - started)
        if response.status_code not in expect:
            raise Failure(f"POST {path} → {response.status_code}{page_errors(response.text)}")
        return response

    def log_in(self, username: str, next_path: str) -> None:
        page = self.get("/admin/login/", params={"next": next_path})
        data = {
            "username": username,
            "password": PASSWORD,
            "next": next_path,
            "csrfmiddlewaretoken": csrf_of(page.text),
        }
        response = self.post("/admin/login/", data, expect=(302,))
        if response.headers.get("Location") != next_path:
            raise Failure(f"login of {username} went to {response.headers.get('Location')}")


def csrf_of(text: str) -> str:
    found = CSRF_RE.search(text)
    if not found:
        raise Failure("no CSRF token on the page")
    return found.group(1)


def page_errors(text: str) -> str:
    found = re.findall(r'<p class="rf-error"[^>]*>(.*?)</p>', text or "", re.S)
    return (": " + html.unescape(re.sub(r"<[^>]+>", "", found[0]))[:200]) if found else ""


@dataclass
class Tab:
    """What the form page told the browser: CSRF token, edit token, ids of kept files."""

    csrf: str
    edit_token: str
    kept: list[str]
    text: str


def open_form(browser: Browser, spec: FormSpec) -> Tab:
    text = browser.get(spec.url).text
    return tab_of(text, spec)


def tab_of(text: str, spec: FormSpec) -> Tab:
    from responses import schema as S

    token = EDIT_TOKEN_RE.search(text)
    if token is None:
        raise Failure("the form page has no edit token (closed? denied?)")
    kept = []
    if spec.file_key:
        name = re.escape(S.field_name(spec.file_key) + ".kept")
        kept = re.findall(rf'name="{name}" value="([0-9a-f-]+)"', text)
    return Tab(csrf_of(text), token.group(1), kept, text)


def post_form(browser, spec, tab, action, fields, upload=None, timed="", expect=(303,)):
    from responses import schema as S

    data = [("csrfmiddlewaretoken", tab.csrf), ("edit_token", tab.edit_token)]
    data += [("action", action), *fields]
    if spec.file_key:
        data += [(S.field_name(spec.file_key) + ".kept", uuid) for uuid in tab.kept]
    files = None
    if upload is not None and spec.file_key:
        files = [(S.field_name(spec.file_key), (PDF_NAME, upload, "application/pdf"))]
    return browser.post(spec.url, data, files, expect=expect, timed=timed)


def submit_and_read_receipt(browser, spec, tab, fields, upload=None, twice=False) -> str:
    """Submit (twice at the same moment when `twice`), then read the receipt's reference."""
    if twice:
        second = browser.clone()
        barrier = threading.Barrier(2)
        results: dict = {}

        def click(who, key):
            try:
                barrier.wait(timeout=60)
                results[key] = post_form(who, spec, tab, "submit", fields, upload, "submit")
            except BaseException as error:  # reported below
                results[key] = error

        helper = threading.Thread(target=click, args=(second, "second"))
        helper.start()
        click(browser, "first")
        helper.join()
        second.close()
        for result in results.values():
            if isinstance(result, BaseException):
                raise result
        response = results["first"]
    else:
        response = post_form(browser, spec, tab, "submit", fields, upload, "submit")
    location = response.headers.get("Location", "")
    if "/receipt/" not in location:
        raise Failure(f"submit went to {location!r}, not the receipt")
    receipt = browser.get(location)
    found = REFERENCE_RE.search(receipt.text)
    if not found:
        raise Failure("the receipt shows no reference number")
    return found.group(0)


def save_draft(browser, spec, tab, fields, upload=None) -> Tab:
    response = post_form(browser, spec, tab, "save", fields, upload, "draft")
    return tab_of(browser.get(response.headers["Location"].split("#")[0]).text, spec)


# -- (a) the provinces ----------------------------------------------------------------------------


def province_scenario(index: int) -> str:
    if index % 7 == 3:
        return DOUBLE
    if index % 7 == 5:
        return TWO_TABS
    if index % 11 == 7:
        return TIMEOUT
    return NORMAL


def province_run(base, stats, spec, pdf, username, code, scenario, start) -> None:
    browser = Browser(base, stats, username)
    seed = code
    marker = f"ผู้รายงานจังหวัด {code}"
    try:
        start.wait(timeout=120)
        browser.log_in(username, spec.url)
        tab = open_form(browser, spec)
        fields = spec.fields(marker, seed, rows=3 + code % 2)
        if scenario == NORMAL:
            tab = save_draft(browser, spec, tab, fields, upload=pdf)
            if len(tab.kept) != 1:
                raise Failure(f"the draft kept {len(tab.kept)} files, not 1")
            submit_and_read_receipt(browser, spec, tab, fields)
        elif scenario == DOUBLE:
            tab = save_draft(browser, spec, tab, fields)
            submit_and_read_receipt(browser, spec, tab, fields, upload=pdf, twice=True)
        elif scenario == TWO_TABS:
            other = browser.clone()
            second = open_form(other, spec)  # both tabs loaded with the same edit token
            tab = save_draft(browser, spec, tab, fields, upload=pdf)
            other_fields = spec.fields(f"{marker} แท็บที่สอง", seed + 1, rows=2)
            submit_and_read_receipt(other, spec, second, other_fields)  # over tab one's draft
            other.close()
            submit_and_read_receipt(browser, spec, tab, fields)  # tab one, stale, sends its own
        elif scenario == TIMEOUT:
            for cookie in browser.session.cookies:  # the server forgot the session
                if cookie.name == "sessionid":
                    cookie.value = "expired-in-the-meantime"
            response = post_form(browser, spec, tab, "save", fields, pdf, expect=(302,))
            restore = unquote(response.headers["Location"].split("next=", 1)[-1])
            if "/restore/" not in restore:
                raise Failure(f"an expired session's post went to {restore!r}")
            browser.log_in(username, restore)
            page = browser.get(restore)  # restored, then back to the form
            tab = tab_of(page.text, spec)
            if marker not in html.unescape(page.text):
                raise Failure("the restored draft lost what was typed")
            if len(tab.kept) != 1:
                raise Failure(f"the restored draft kept {len(tab.kept)} files, not 1")
            submit_and_read_receipt(browser, spec, tab, fields)
    except Exception as error:
        stats.error(f"{username} ({scenario}): {error}")
    finally:
        browser.close()


def run_provinces(urls, form, pdf, users) -> tuple[Stats, float, dict]:
    spec = form_spec(form)
    stats = Stats()
    scenarios = {code: province_scenario(n) for n, (code, _) in enumerate(users)}
    start = threading.Barrier(len(users))
    threads = [
        threading.Thread(
            target=province_run,
            args=(urls[n % len(urls)], stats, spec, pdf, username, code, scenarios[code], start),
        )
        for n, (code, username) in enumerate(users)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stats, time.perf_counter() - started, scenarios


# -- (b) the อปท. ---------------------------------------------------------------------------------


def local_run(base, stats, spec, username, code, twice) -> None:
    browser = Browser(base, stats, username)
    try:
        browser.log_in(username, spec.url)
        tab = open_form(browser, spec)
        fields = spec.fields(f"saraban.{code}@example.go.th", int(code))
        submit_and_read_receipt(browser, spec, tab, fields, twice=twice)
    except Exception as error:
        stats.error(f"{username}: {error}")
    finally:
        browser.close()


def run_local(urls, form, users, threads) -> tuple[Stats, float]:
    spec = form_spec(form)
    stats = Stats()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for n, (code, username) in enumerate(users):
            pool.submit(local_run, urls[n % len(urls)], stats, spec, username, code, n % 100 == 50)
    return stats, time.perf_counter() - started


# -- setting up and checking ----------------------------------------------------------------------


def make_users(prefix: str, memberships: list[tuple[str, dict]], group=None) -> list:
    """Users `prefix-<suffix>` with one Membership each; returns [(suffix, username)]."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from cms.organisations.models import Membership

    User = get_user_model()
    password = make_password(PASSWORD)
    users = [
        User(
            username=f"{prefix}-{suffix}",
            password=password,
            email=f"{prefix}-{suffix}@example.go.th",
        )
        for suffix, _ in memberships
    ]
    User.objects.bulk_create(users, batch_size=1000)
    by_name = dict(
        User.objects.filter(username__startswith=f"{prefix}-").values_list("username", "pk")
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=by_name[f"{prefix}-{suffix}"], **place)
            for suffix, place in memberships
        ],
        batch_size=1000,
    )
    if group is not None:
        through = User.groups.through
        through.objects.bulk_create(
            [through(user_id=pk, group_id=group.pk) for pk in by_name.values()], batch_size=1000
        )
    return [(suffix, f"{prefix}-{suffix}") for suffix, _ in memberships]


def set_up(local_count: int):
    from django.contrib.auth.models import Group

    from cms.organisations.local_organisations import generate_local_organisations
    from responses.demo import DEMO_LOCAL_SLUG, DEMO_SURVEY_SLUG, ensure_demo_forms
    from responses.models import Response
    from workflows import roles as R

    if Response.objects.exists():
        raise SystemExit(
            "this database already holds responses: the benchmark needs a fresh one "
            "(python -m benchmarks responses --database URL recreates it)"
        )
    forms = ensure_demo_forms()["forms"]
    survey, local_form = forms[DEMO_SURVEY_SLUG], forms[DEMO_LOCAL_SLUG]
    organisations = generate_local_organisations()  # 7,850 over the 76 provinces
    provinces = list(survey.addressed_provinces().order_by("code"))
    officer = Group.objects.get(name=R.GROUPS[R.PROVINCE_OFFICER])
    province_users = make_users(
        "bench-p", [(f"{p.code:02d}", {"province": p}) for p in provinces], group=officer
    )
    province_users = [(int(code), username) for code, username in province_users]
    addressed = {o.pk for o in local_form.addressed_organisations()}
    answering = [o for o in organisations if o.pk in addressed][:local_count]
    local_users = make_users("bench-l", [(o.code, {"local_organisation": o}) for o in answering])
    return survey, local_form, province_users, local_users, len(organisations)


def check_provinces(form, scenarios: dict, pdf: bytes) -> list[str]:
    from responses.models import PendingInput, Response, ResponseFile, ResponseVersion

    spec = form_spec(form)
    problems = []
    responses = list(Response.objects.filter(form=form).select_related("province"))
    per_province = Counter(r.province.code for r in responses)
    duplicated = sorted(code for code, n in per_province.items() if n > 1)
    lost = sorted(set(scenarios) - set(per_province))
    if duplicated:
        problems.append(f"provinces with more than one response: {duplicated}")
    if lost:
        problems.append(f"provinces whose response is lost: {lost}")
    digest = hashlib.sha256(pdf).hexdigest()
    versions = {}
    for version in ResponseVersion.objects.filter(response__form=form).order_by("version"):
        versions.setdefault(version.response_id, []).append(version)
    files = Counter(
        ResponseFile.objects.filter(response__form=form).values_list("response", flat=True)
    )
    for response in responses:
        code = response.province.code
        scenario = scenarios.get(code)
        where = f"province {code:02d} ({scenario})"
        sent = [v for v in versions.get(response.pk, []) if v.kind == "submission"]
        overwritten = [v for v in versions.get(response.pk, []) if v.kind == "overwritten"]
        if response.status != "submitted":
            problems.append(f"{where}: status {response.status}")
            continue
        expected = EXPECTED_VERSIONS[scenario]
        if response.version != expected or [v.version for v in sent] != list(
            range(1, expected + 1)
        ):
            problems.append(
                f"{where}: version {response.version}, submissions "
                f"{[v.version for v in sent]}, expected {expected}"
            )
            continue
        marker = f"ผู้รายงานจังหวัด {code}"
        if sent[-1].answers.get(spec.marker) != marker:
            problems.append(f"{where}: the last submission is not what was sent last")
        if response.reference != f"WF-{form.pk}-{code:02d}-{expected}":
            problems.append(f"{where}: reference {response.reference}")
        if [item["sha256"] for item in sent[-1].files] != [digest]:
            problems.append(f"{where}: the last submission holds {len(sent[-1].files)} files")
        if files[response.pk] != 1:
            problems.append(f"{where}: {files[response.pk]} stored files, expected 1")
        if scenario == TWO_TABS:
            markers = {v.answers.get(spec.marker) for v in sent}
            if markers != {marker, f"{marker} แท็บที่สอง"} or not overwritten:
                problems.append(f"{where}: a tab's input was lost ({markers}, {len(overwritten)})")
    pending = PendingInput.objects.count()
    if pending:
        problems.append(f"{pending} posts kept across a login were never restored")
    return problems


def check_local(form, users) -> list[str]:
    from responses.models import Response, ResponseVersion

    spec = form_spec(form)
    problems = []
    rows = list(
        Response.objects.filter(form=form).values_list(
            "local_organisation__code", "status", "version"
        )
    )
    per_organisation = Counter(code for code, _, _ in rows)
    duplicated = [code for code, n in per_organisation.items() if n > 1]
    lost = sorted({code for code, _ in users} - set(per_organisation))
    if duplicated:
        problems.append(
            f"{len(duplicated)} อปท. with more than one response, e.g. {duplicated[:5]}"
        )
    if lost:
        problems.append(f"{len(lost)} อปท. whose response is lost, e.g. {lost[:5]}")
    wrong = [
        (code, status, version)
        for code, status, version in rows
        if (status, version) != ("submitted", 1)
    ]
    if wrong:
        problems.append(f"{len(wrong)} อปท. responses not submitted exactly once, e.g. {wrong[:5]}")
    submissions = ResponseVersion.objects.filter(response__form=form, kind="submission")
    if submissions.count() != len(users):
        problems.append(f"{submissions.count()} submissions for {len(users)} อปท.")
    mismatched = [
        code
        for code, answer in submissions.values_list(
            "response__local_organisation__code", f"answers__{spec.marker}"
        )
        if answer != f"saraban.{code}@example.go.th"
    ]
    if mismatched:
        problems.append(f"{len(mismatched)} submissions hold another อปท.'s answers")
    return problems


# -- reporting ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def latency_line(label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"  {label:<14} n={len(ms):>5}  p50 {percentile(ms, 0.5):7.0f} ms  "
        f"p95 {percentile(ms, 0.95):7.0f} ms  max {max(ms, default=float('nan')):7.0f} ms"
    )


def report_errors(stats: Stats) -> None:
    if stats.errors:
        print(f"  ERRORS: {len(stats.errors)}")
        for line in stats.errors[:15]:
            print(f"    {line}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_responses")
    parser.add_argument("--provinces-only", action="store_true", help="skip the อปท. run")
    parser.add_argument("--local", type=int, default=7850, help="อปท. that answer (7,850)")
    parser.add_argument("--count", type=int, help="the same as --local (benchmarks/__main__)")
    parser.add_argument("--threads", type=int, default=32, help="client threads for the อปท.")
    parser.add_argument("--servers", type=int, default=None, help="server processes (CPUs)")
    parser.add_argument("--server-threads", type=int, default=16, help="requests per server")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.serve:  # a child: the parent's environment says where everything is
        serve(options.serve, options.server_threads)
        return 0
    own_tmp = not os.environ.get("WIAN_BENCH_TMP")
    tmp = Path(os.environ.get("WIAN_BENCH_TMP") or tempfile.mkdtemp(prefix="wian-bench-"))
    os.environ["WIAN_BENCH_TMP"] = str(tmp)
    os.environ["PRIVATE_MEDIA_ROOT"] = str(tmp / "private")  # uploads never land in var/
    if not os.environ.get("DATABASE_URL"):  # never the developer's db.sqlite3
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    try:
        return run(options, tmp)
    finally:
        if own_tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def run(options, tmp: Path) -> int:
    local_count = options.count if options.count is not None else options.local

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    sqlite = connection.vendor == "sqlite"
    servers = options.servers or (1 if sqlite else max(1, os.cpu_count() or 1))
    server_threads = 1 if sqlite else options.server_threads
    print(f"Response forms benchmark on {connection.vendor} ({connection.settings_dict['NAME']})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    survey, local_form, province_users, local_users, generated = set_up(local_count)
    print(
        f"set-up {time.perf_counter() - started:.0f} s: {len(province_users)} provinces, "
        f"{generated:,} อปท. ({len(local_users):,} answering), one user each; "
        f"{servers} server process(es) × {server_threads} concurrent requests"
    )
    if sqlite:
        print("  (SQLite: one writer at a time, so the server runs one request at a time)")
    connections.close_all()
    pdf = minimal_pdf("Bantuek khotoklong")
    processes, urls = start_servers(servers, server_threads, tmp)
    problems = []
    try:
        import requests

        for url in urls:  # first requests load templates and translations
            for _ in range(3):
                requests.get(url + "/admin/login/", timeout=60)

        stats, elapsed, scenarios = run_provinces(urls, survey, pdf, province_users)
        kinds = Counter(scenarios.values())
        print(
            f"\n(a) {len(province_users)} provinces at once, table form + PDF: {elapsed:.1f} s "
            f"({'within' if elapsed <= PROVINCES_WITHIN_SECONDS else 'NOT within'} one minute)"
        )
        print("  " + ", ".join(f"{n} {kind}" for kind, n in kinds.items()))
        print(latency_line("submit POST", stats.submit))
        print(latency_line("draft POST", stats.draft))
        report_errors(stats)
        found = check_provinces(survey, scenarios, pdf) + stats.errors
        print(
            f"  check: {'one response per province, versions as expected' if not found else 'FAILED'}"
        )
        problems += found

        if not options.provinces_only and local_users:
            stats, elapsed = run_local(urls, local_form, local_users, options.threads)
            rate = len(local_users) / elapsed
            print(
                f"\n(b) {len(local_users):,} อปท. through {options.threads} threads: "
                f"{elapsed:.0f} s, {rate:.1f} responses/s "
                f"(log in, open, submit, receipt; 1 in 100 submits twice)"
            )
            print(latency_line("submit POST", stats.submit))
            projected = 7850 / rate
            verdict = "fits" if projected <= LOCAL_WITHIN_SECONDS else "does NOT fit"
            print(f"  7,850 at this rate: {projected / 60:.1f} min, {verdict} in an hour")
            report_errors(stats)
            found = check_local(local_form, local_users) + stats.errors
            print(f"  check: {'one submitted response per อปท.' if not found else 'FAILED'}")
            problems += found
    finally:
        stop_servers(processes)
    if problems:
        print(f"\nFAILED: {len(problems)} problems")
        for line in problems[:30]:
            print(f"  {line}")
        return 1
    print("\nno lost, duplicated or failed response")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
