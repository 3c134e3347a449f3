from datetime import date

import pytest

from tilik.core.xpath import XPathError, compile_expression, evaluate, references, truthy


def ok(expr, answers=None, **kw):
    return truthy(evaluate(expr, answers or {}, **kw))


def test_it_compares_the_current_answer():
    assert ok(". >= 18", current=20)
    assert not ok(". >= 18", current=17)
    assert ok(". >= 1 and . <= 20", current="5")


def test_it_treats_unanswered_as_not_comparable():
    assert not ok("${umur} > 18", {})
    assert ok("${umur} = ''", {})


def test_it_handles_selected_and_count_selected():
    answers = {"hambatan": ["waktu", "lainnya"]}
    assert ok("selected(${hambatan}, 'lainnya')", answers)
    assert not ok("selected(${hambatan}, 'dana')", answers)
    assert evaluate("count-selected(${hambatan})", answers) == 2


def test_it_evaluates_regex_and_string_length():
    assert ok("regex(., '^[0-9]{18}$')", current="198503122010011001")
    assert not ok("regex(., '^[0-9]{18}$')", current="1985")
    assert ok("string-length(.) <= 5", current="abc")


def test_it_does_arithmetic():
    assert evaluate("${a} + ${b} * 2", {"a": 1, "b": 3}) == 7
    assert evaluate("7 mod 3", {}) == 1
    assert evaluate("7 div 2", {}) == 3.5
    assert evaluate("-${a}", {"a": 4}) == -4


def test_it_supports_if_not_and_today():
    assert evaluate("if(${a} > 1, 'big', 'small')", {"a": 2}) == "big"
    assert ok("not(${a} = 'x')", {"a": "y"})
    assert evaluate("today()", {}, today=date(2025, 3, 1)) == "2025-03-01"
    assert ok(". <= today()", current="2025-02-28", today=date(2025, 3, 1))


def test_it_evaluates_choice_filters_with_bare_names():
    assert ok("kab = ${prov}", {"prov": "ntt"}, names={"kab": "ntt"})


def test_it_lists_references():
    assert references(compile_expression("${a} > 1 and selected(${b}, 'x')")) == {"a", "b"}


@pytest.mark.parametrize("bad", ["__import__('os')", "${a} >", "foo(1)", "1 +* 2", "'open"])
def test_it_refuses_what_it_does_not_know(bad):
    with pytest.raises(XPathError):
        evaluate(bad, {})


@pytest.mark.parametrize(
    "expr",
    [
        "${a} + ${b} * 2 > 6",
        "if(${a} > 1, 'x', 'y')",
        "selected(${m}, 'b') and not(${a} = 3)",
        "count-selected(${m})",
        "regex(${s}, '^[0-9]+$') or string-length(${s}) > 3",
    ],
)
def test_it_compiles_to_the_same_results(expr):
    from tilik.core.xpath import compile_function

    answers = {"a": 2, "b": 3, "m": ["a", "b"], "s": "12ab"}
    assert compile_function(expr)(answers) == evaluate(expr, answers)
