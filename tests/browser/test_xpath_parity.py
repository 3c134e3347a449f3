"""The respondent page's evaluator (static tilik/form.js) gives what tilik.core.xpath gives,
for every function of the ODK XForms specification that both implement."""

from __future__ import annotations

import math

import pytest

from tests.browser.support import LAUNCH_ARGS, PHONE
from tests.web.test_respond_repeats import xlsform

ANSWERS = {
    "a": "3",
    "b": "0",
    "kosong": "",
    "s": "  hello   world ",
    "m": "x y z",
    "d": "2025-03-14",
    "dt": "2025-03-14T09:30:15",
    "t": "13:30:00",
    "g1": "-10.1 123.6 0 0",
    "g2": "-10.2 123.7 0 0",
    "shape": "-10 123 0 0;-10 123.01 0 0;-10.01 123.01 0 0;-10 123 0 0",
}
ENV = {
    "instances": {
        "kab": [
            {"name": "kupang", "label": "Kota Kupang", "prov": "ntt"},
            {"name": "ende", "label": "Ende", "prov": "ntt"},
            {"name": "badung", "label": "Badung", "prov": "bali"},
        ]
    },
    "choice_labels": {"q": {"kupang": "Kota Kupang"}},
    "version": "2025-01",
}
EXPRESSIONS = [
    "pow(${a}, 2)",
    "pow(-8, 1 div 3)",
    "pow(10, 400)",
    "sqrt(${a})",
    "sqrt(-1)",
    "exp(1)",
    "exp10(2)",
    "log(${a})",
    "log(0)",
    "log10(1000)",
    "sin(pi() div 2)",
    "cos(0)",
    "tan(1)",
    "asin(1)",
    "acos(2)",
    "atan(${a} div 100)",
    "round(15 div (sqrt(cos(atan(10 div 100)))), 2)",
    "${a} div ${b}",
    "0 div ${b}",
    "${kosong} * 12",
    "-${a} div 0",
    "7 mod 0",
    "floor(${kosong})",
    "ceiling(2.1)",
    "abs(-2.5)",
    "int(-2.7)",
    "round(2.5)",
    "round(-2.5)",
    "substring-before('2025-03-14', '-')",
    "substring-after('2025-03-14', '-')",
    "substring-after('abc', 'z')",
    "translate('bar', 'abc', 'ABC')",
    "translate('--aaa--', 'abc-', 'ABC')",
    "normalize-space(${s})",
    "substring('12345', 1.5, 2.6)",
    "substr('hello', 1, 3)",
    "selected-at(${m}, 1)",
    "selected-at(${m}, 5)",
    "count-non-empty(${m})",
    "boolean-from-string('true')",
    "boolean-from-string('yes')",
    "checklist(1, 2, true(), false(), true())",
    "checklist(-1, 1, true(), true())",
    "weighted-checklist(3, -1, true(), 2, false(), 5, true(), 1)",
    "distance(${g1}, ${g2})",
    "area(${shape})",
    "distance(${shape})",
    "format-date(${d}, '%Y/%m/%d %b %a %e %n')",
    "format-date-time(${dt}, '%H:%M:%S %h %y')",
    "date-time(1.5)",
    "date-time(${kosong})",
    "decimal-time(${t})",
    "decimal-time('25:00:00')",
    "decimal-date-time(${dt})",
    "date(20000)",
    "${dt} > ${d}",
    "number('Infinity')",
    "number('1e3')",
    "string(1 div 3)",
    "string(0.1 + 0.2)",
    "once(${a})",
    "version()",
    "jr:choice-name('kupang', '${q}')",
    "count(instance('kab')/root/item[prov = 'ntt'])",
    "instance('kab')/root/item[name = 'ende']/label",
    "instance('kab')/root/item[2]/name",
    "instance('kab')/root/item[position() = last()]/name",
    "join(', ', instance('kab')/root/item/name)",
    "regex('abc', '^a.c$')",
    "coalesce(${kosong}, 'x')",
    "ends-with('kupang', 'ang')",
    "max(1, ${a}, 2)",
    "min(1, ${kosong})",
]


def _python(expression):
    from tilik.core.xpath import NodeSet, _string, evaluate

    value = evaluate(expression, ANSWERS, env=ENV)
    if isinstance(value, NodeSet):
        return {"nodeset": [_string(v) for v in value]}
    if isinstance(value, float):
        return {"number": _string(value)}
    return value


def _same(ours, theirs) -> bool:
    if isinstance(ours, dict) and "number" in ours and isinstance(theirs, dict):
        a, b = float(ours["number"]), float(theirs.get("number", "nan"))
        return (math.isnan(a) and math.isnan(b)) or a == b or math.isclose(a, b, rel_tol=1e-12)
    return ours == theirs


@pytest.fixture
def form_link(transactional_db):
    from tilik.web.accounts.models import Organisation
    from tilik.web.collection import services
    from tilik.web.collection.models import RespondentLink
    from tilik.web.evaluations.models import Evaluation

    organisation = Organisation.objects.create(name="BKPSDM Uji", kind="instansi")
    evaluation = Evaluation.objects.create(organisation=organisation, title="Uji", period="2025")
    data = xlsform([("text", "nama", "Nama", "", "", "", "", "")], "paritas")
    instrument, problems = services.add_instrument(evaluation, data, "paritas.xlsx")
    assert instrument is not None, problems
    return RespondentLink.make(instrument, "open")[1]


@pytest.mark.browser
def test_it_evaluates_every_function_as_the_server_does(live_server, form_link, chromium_path):
    from playwright.sync_api import sync_playwright

    from tilik.core.xpath import compile_expression

    mismatches = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport=PHONE).new_page()
        page.goto(f"{live_server.url}/f/{form_link}/")
        for expression in EXPRESSIONS:
            theirs = page.evaluate(
                "([t, a, e]) => window.TilikXPath.evaluate(t, a, '', e)",
                [compile_expression(expression), ANSWERS, ENV],
            )
            ours = _python(expression)
            if not _same(ours, theirs):
                mismatches.append((expression, ours, theirs))
        uuid = page.evaluate(
            "() => [window.TilikXPath.evaluate(['call', 'uuid', []]),"
            " window.TilikXPath.evaluate(['call', 'uuid', [['num', 8]]])]"
        )
        browser.close()
    assert mismatches == []
    assert len(uuid[0]) == 36 and uuid[0][14] == "4" and len(uuid[1]) == 8
