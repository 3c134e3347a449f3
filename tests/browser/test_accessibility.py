"""Every page of the app passes axe-core (WCAG 2.1 A and AA, best practices) with zero
violations, on a phone (390×844) and a desktop (1280×900), in its error states too; and the
keyboard reaches every field of a respondent form without the sticky bar covering it.

The pages are found by walking the URL resolver, so a new page is checked as soon as it has
a URL: it must either render here as HTML or be named below as something else (a file, JSON,
a POST-only action).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tests.browser.support import DESKTOP, LAUNCH_ARGS, PHONE, assert_accessible
from tests.schedule_builders import small_plan

DEMO = Path(__file__).resolve().parents[2] / "examples" / "kupang-2025"
PASSWORD = "rahasia-uji-123"
NIP = "198607152015011351"

# URL names that are not pages a person reads, and why.
NOT_PAGES = {
    # files
    "collection:xlsform": "XLSForm download",
    "collection:export": "CSV/XLSX export",
    "collection:bundle_zip": "bundle download",
    "reports:download": "report files (the HTML report is the report's own page)",
    "planning:ics": "calendar file",
    "planning:download": "schedule files",
    "planning:example": "example jadwal.yaml",
    "evaluations:participant_template": "CSV template",
    "respond:qr": "QR code image",
    "respond:service_worker": "script",
    "favicon": "redirect to the icon",
    # JSON polled by pages
    "collection:batch_progress": "JSON",
    "collection:form_upload_status": "JSON",
    "reports:status": "JSON",
    "planning:run_status": "JSON",
    "evaluations:participant_batch_status": "JSON",
    "healthz": "JSON",
    "respond:submit": "JSON (POST)",
    # actions (POST only), their pages are checked where they lead
    "logout": "POST",
    "set_language": "POST",
    "collection:xlsform_upload": "POST",
    "collection:instrument_settings": "POST",
    "collection:batch_cancel": "POST",
    "collection:form_upload_cancel": "POST",
    "collection:link_revoke": "POST",
    "collection:observation_submit": "POST (JSON)",
    "reports:run": "POST",
    "reports:cancel": "POST",
    "reports:edit": "POST",
    "reports:follow_up": "POST",
    "coding:save": "POST",
    "planning:draft": "POST",
    "planning:upload": "POST",
    "planning:solve": "POST",
    "planning:run_cancel": "POST",
    "evaluations:participant_batch_cancel": "POST",
    "audit:evaluation_csv": "CSV",
    "accounts:org_audit_csv": "CSV",
    "portfolio:xlsx": "XLSX",
    "api_tokens:revoke": "POST",
    "accounts:otp_disable": "POST",
    "accounts:otp_codes": "POST",
    "accounts:invite_new": "POST",
    "accounts:invite_withdraw": "POST",
    "accounts:unit_add": "POST",
    "accounts:org_settings": "POST",
    "accounts:set_active": "POST",
    "accounts:place": "POST",
    "accounts:issue_reset": "POST",
    "accounts:reset_second_step": "POST",
}
# Django's own administration is not part of the product's pages (users never need it); the
# read-only API answers JSON.
SKIPPED_NAMESPACES = ("admin", "api")


def url_names() -> dict[str, object]:
    """Every named URL pattern: ``namespace:name`` → its pattern."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLResolver

    found: dict[str, object] = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner in SKIPPED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern

    walk(get_resolver().url_patterns, "")
    return found


@pytest.fixture
def demo(live_server, settings):
    """The demo evaluation with one of everything a page can show."""
    from django.contrib.auth import get_user_model

    from tests.builders import kobo_csv, kobo_row
    from tilik.report import render_public_summary
    from tilik.web.accounts.models import Invitation, OrganisationMember
    from tilik.web.collection import services
    from tilik.web.collection.models import FormUpload, RespondentLink
    from tilik.web.evaluations import participants
    from tilik.web.evaluations.bundles import import_bundle, read_bundle_for_db
    from tilik.web.evaluations.models import Program
    from tilik.web.planning.models import SchedulePlan
    from tilik.web.planning.services import start_run
    from tilik.web.reports.models import Publication
    from tilik.web.reports.services import run_analysis

    settings.TILIK_SCHEDULE_TIME_LIMIT = 5
    user = get_user_model().objects.create_user("evaluator", password=PASSWORD)
    evaluation = import_bundle(read_bundle_for_db(DEMO), user=user).evaluation
    # also the organisation's administrator: its pages and portfolio are walked too
    OrganisationMember.objects.filter(user=user).update(role=OrganisationMember.Role.ADMIN)
    _, invite_token = Invitation.make(evaluation.organisation, "evaluator", user)
    program = evaluation.programs.order_by("name").first()
    survey = evaluation.instruments.get(form_id="survei_peserta")
    # an import with a row held in quarantine
    batch = services.start_import(survey, kobo_csv([kobo_row(0, instansi="dinsos")]), "k.csv")
    link, token = RespondentLink.make(survey, "single", label="Angkatan 1")
    observasi = evaluation.instruments.get(form_id="observasi")
    own = Program.objects.create(evaluation=evaluation, name="Program Uji Aksesibilitas")
    listed = participants.start_import(
        evaluation,
        f"NIP;Nama;Program\n{NIP};Simon;{own.name}\n123;Ani;{own.name}\n".encode(),
        "peserta.csv",
    )
    upload = services.start_form_upload(evaluation, b"not a workbook", "rusak.xlsx", user=user)
    assert upload.status == FormUpload.Status.DONE and not upload.accepted
    plan = SchedulePlan.objects.create(
        evaluation=evaluation,
        title="Rencana uji",
        source=yaml.safe_dump(small_plan(), allow_unicode=True, sort_keys=False),
    )
    run, _ = start_run(plan, user)
    analysis = run_analysis(evaluation, user, "id")
    publication = Publication.objects.create(
        evaluation=evaluation,
        published=True,
        html=render_public_summary(analysis.hasil, "id", standalone=True),
    )
    _, standard_token = RespondentLink.make(observasi, "open")
    return {
        "evaluation": evaluation,
        "program": program,
        "survey": survey,
        "batch": batch,
        "row": batch.quarantined_rows.first(),
        "link": link,
        "token": token,
        "standard_token": standard_token,
        "participants": listed,
        "held": listed.held_rows.first(),
        "upload": upload,
        "plan": plan,
        "run": run,
        "analysis": analysis,
        "publication": publication,
        "interview": evaluation.interviews.first(),
        "recommendation": (analysis.hasil.get("recommendations") or [{}])[0].get("key", "x"),
        "invite_token": invite_token,
    }


def sample_urls(demo) -> dict[str, str]:
    """A URL for every page of the walk, filled with the demo's objects."""
    from django.urls import reverse

    pk = demo["evaluation"].pk
    org = demo["evaluation"].organisation_id
    run, plan = demo["run"], demo["plan"]
    schedule = run.plan_object()
    unit = next(iter(schedule.units))
    args = {
        "evaluations:list": [],
        "collection:new_evaluation": [],
        "login": [],
        "public": [demo["publication"].slug],
        "respond:form": [demo["token"]],
        "collection:instrument": [pk, "survei_peserta"],
        "collection:import": [pk, "survei_peserta"],
        "collection:links": [pk, "survei_peserta"],
        "collection:batch": [pk, demo["batch"].pk],
        "collection:form_upload": [pk, demo["upload"].pk],
        "collection:quarantine": [pk, demo["row"].pk],
        "collection:interview": [pk, demo["interview"].pk],
        "collection:observation_new": [pk, "observasi"],
        "evaluations:program": [pk, demo["program"].pk],
        "evaluations:program_delete": [pk, demo["program"].pk],
        "evaluations:participant_batch": [pk, demo["participants"].pk],
        "evaluations:held_participant": [pk, demo["held"].pk],
        "planning:edit": [pk, plan.pk],
        "planning:run": [pk, run.pk],
        "planning:unit": [pk, run.pk, unit],
        "planning:person": [pk, run.pk, schedule.participants[0].code],
        "home": [],
        "accounts:account": [],
        "accounts:password_change": [],
        "accounts:otp_setup": [],
        "accounts:otp_verify": [],
        "accounts:organisations": [],
        "accounts:organisation": [org],
        "accounts:org_audit": [org],
        "accounts:invite": [demo["invite_token"]],
        "accounts:reset": ["MQ", "tidak-sah"],
        "portfolio:index": [],
        "portfolio:detail": [org],
        "api_tokens:list": [],
    }
    urls = {}
    for name in url_names():
        if name in NOT_PAGES:
            continue
        urls[name] = reverse(name, args=args.get(name, [pk]))
    return urls


def _log_in(page, base):
    page.goto(f"{base}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("evaluator")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


SIDEWAYS: list[str] = []


def _check(page, url, where, shots):
    response = page.goto(url)
    assert response is not None and response.status < 400, (
        f"{where}: {response and response.status}"
    )
    assert "text/html" in response.headers.get("content-type", ""), where
    page.wait_for_load_state("load")
    assert_accessible(page, where)
    # nothing scrolls sideways (wide tables scroll inside their own box)
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if wide > 1:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('main *')]
                 .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                               && el.children.length === 0)
                 .slice(0, 3)
                 .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                            + ' «' + (el.textContent || '').trim().slice(0, 40) + '»')"""
        )
        SIDEWAYS.append(f"{where}: {wide} px too wide: {culprits}")
    if shots:
        name = where.replace(":", "_").replace("/", "_").replace(" ", "_")
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)


def _error_states(page, base, demo, size, shots):
    """Pages as they look after a mistake: each must pass too."""
    pk = demo["evaluation"].pk

    def done(where):
        assert_accessible(page, f"{where} @ {size}")
        if shots:
            page.screenshot(path=str(Path(shots) / f"error_{where}_{size}.png"), full_page=True)

    page.goto(f"{base}/evaluasi/baru/")
    page.get_by_role("button", name="Buat evaluasi").click()
    done("new_evaluation")
    page.goto(f"{base}/evaluasi/{pk}/program/baru/")
    page.get_by_label("JP").fill("-1")
    page.get_by_role("button", name="Simpan program").click()
    done("program")
    page.goto(f"{base}/evaluasi/{pk}/peserta/impor/")
    page.get_by_role("button", name="Impor", exact=True).click()
    done("participant_import")
    page.goto(f"{base}/evaluasi/{pk}/instrumen-baru/")
    page.get_by_role("button", name="Unggah").click()
    done("instrument_add")
    page.goto(f"{base}/evaluasi/{pk}/instrumen/survei_peserta/tautan/")
    page.get_by_label("Jumlah tautan sekali pakai").fill("0")
    page.get_by_role("button", name="Buat", exact=True).click()
    done("links")
    page.goto(f"{base}/evaluasi/{pk}/karantina/{demo['row'].pk}/")
    page.get_by_role("button", name="Periksa ulang dan simpan").click()
    done("quarantine")
    page.goto(f"{base}/evaluasi/{pk}/peserta/ditahan/{demo['held'].pk}/")
    page.get_by_role("button", name="Periksa ulang dan simpan").click()
    done("held_participant")
    page.goto(f"{base}/evaluasi/{pk}/tidak-ada/")
    done("not_found")
    # a respondent's errors: on the page one leaves, and all of them when sending
    page.goto(f"{base}/f/{demo['standard_token']}/")
    page.get_by_role("button", name="Saya mengerti, mulai mengisi").click()
    page.get_by_role("button", name="Berikutnya").click()
    done("respond_page")
    page.goto(f"{base}/f/{demo['standard_token']}/?lang=en")
    done("respond_english")
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("evaluator")
    page.get_by_label("Kata sandi").fill("salah")
    page.get_by_role("button", name="Masuk").click()
    done("login")


def _without_javascript(browser, base, demo, viewport, size, shots):
    """The respondent form as the server pages it when the phone runs no script of ours: the
    first page, its errors, and errors of other pages sent back by the server."""
    import re

    # The page's script is not served (axe itself still runs through the DevTools protocol).
    context = browser.new_context(viewport=viewport, locale="id-ID")
    context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    url = f"{base}/f/{demo['token']}/"

    def done(where):
        assert_accessible(page, f"{where} @ {size} without JavaScript")
        if shots:
            page.screenshot(path=str(Path(shots) / f"nojs_{where}_{size}.png"), full_page=True)

    page.goto(url)
    done("respond")
    page.get_by_role("button", name="Berikutnya").click()
    done("respond_page_errors")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content()).group(1)
    last = page.request.post(
        url, form={"csrfmiddlewaretoken": token, "_page": "5", "persetujuan": "ya"}
    ).text()
    assert 'name="_goto"' in last  # errors on other pages: buttons that carry the answers
    page.route(url, lambda route: route.fulfill(body=last, content_type="text/html"))
    page.goto(url)
    done("respond_errors_elsewhere")
    context.close()


@pytest.mark.browser
def test_every_page_passes_axe_on_a_phone_and_a_desktop(live_server, demo, chromium_path):
    from playwright.sync_api import sync_playwright

    urls = sample_urls(demo)
    assert len(urls) >= 30, sorted(urls)
    shots = os.environ.get("TILIK_SCREENSHOTS", "")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        for size, viewport in (("390", PHONE), ("1280", DESKTOP)):
            context = browser.new_context(viewport=viewport, locale="id-ID")
            page = context.new_page()
            for name in ("login", "respond:form", "public"):  # before signing in
                _check(page, live_server.url + urls[name], f"{name} @ {size}", shots)
            _log_in(page, live_server.url)
            for name, url in sorted(urls.items()):
                _check(page, live_server.url + url, f"{name} @ {size}", shots)
            _error_states(page, live_server.url, demo, size, shots)
            context.close()
            _without_javascript(browser, live_server.url, demo, viewport, size, shots)
        browser.close()
    assert not SIDEWAYS, SIDEWAYS


def _tab_stops(page) -> tuple[int, list[dict]]:
    """Tab from where the focus is through the page's fields, up to the sticky bar: how many
    stops, and those the bar (or the top edge) covers."""
    covered, stops = [], 0
    for _ in range(300):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => {
                 const el = document.activeElement;
                 const bar = document.querySelector('.respond-actions');
                 if (!el || el === document.body) { return {gone: true}; }
                 if (bar.contains(el)) { return {bar: true}; }
                 const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
                 return {name: el.name || el.id || el.tagName, bottom: r.bottom, top: r.top,
                         barTop: b.top};
               }"""
        )
        if where.get("bar") or where.get("gone"):
            return stops, covered
        stops += 1
        if where["bottom"] > where["barTop"] or where["top"] < 0:
            covered.append(where)
    return stops, covered


@pytest.mark.browser
def test_no_focused_field_hides_under_the_send_bar(live_server, demo, chromium_path):
    """Tab through every page of the participant survey on a phone: every stop is fully in
    view, above the sticky bar with the buttons."""
    from playwright.sync_api import sync_playwright

    from tests.browser.support import answer_pages
    from tests.browser.test_respond_offline import _answer

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
        page.goto(f"{live_server.url}/f/{demo['token']}/")
        page.get_by_role("button", name="Saya mengerti, mulai mengisi").click()
        found = {"stops": 0, "covered": []}

        shots = os.environ.get("TILIK_SCREENSHOTS", "")

        def check_then_answer(section):
            stops, covered = _tab_stops(page)
            found["stops"] += stops
            found["covered"] += covered
            if shots:
                number = page.locator("input[name=_page]").input_value()
                page.screenshot(path=str(Path(shots) / f"respond_page_{number}_390.png"))
            _answer(section)

        assert answer_pages(page, check_then_answer) >= 4
        assert found["stops"] >= 25 and found["covered"] == [], found
        browser.close()
