"""Evidence in words: a finding's or recommendation's hasil paths as sentences with numbers.

``evidence_lines(hasil, paths, lang)`` turns paths such as ``challenges/0/share`` into
"Keterbatasan waktu karena beban kerja atau kekurangan pegawai: 58,5% responden survei
(IK 95% 52,8%–64,0%)", one line per thing the paths point at (a challenge, a construct, a
group comparison, a test, an SKM element ...). Each line keeps the paths of its numbers (for
traceability) and names the report's table or figure that shows it (``anchor``), so the
report and the web app can link to it. No path or code is ever part of the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tilik.core import labels
from tilik.core.findings import format_value, resolve_path

__all__ = ["ANCHORS", "EvidenceLine", "Number", "evidence_lines"]


@dataclass
class Number:
    """A number printed in a sentence and the hasil field it comes from."""

    path: str
    fmt: str
    text: str


@dataclass
class EvidenceLine:
    text: str
    anchor: str  # id of the report's table, figure or section that shows it
    numbers: list[Number] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [n.path for n in self.numbers]


# Anchors of the report (``narrative.py`` gives its tables and figures these ids).
ANCHORS = {
    "challenges": "tabel-tantangan",
    "constructs": "tabel-konstruk",
    "alpha": "tabel-reliabilitas",
    "prepost": "tabel-prepost",
    "ikm": "tabel-ikm",
    "nrr": "gambar-ikm-unsur",
    "instruments": "tabel-instrumen",
    "relevance": "gambar-relevansi-sektor",
    "groups": "hasil",
    "jp": "hasil-hasil",
    "themes": "tantangan",
}
_TRAINED = {"ya", "yes", "sudah", "1", "true"}
_UNTRAINED = {"tidak", "no", "belum", "0", "false"}
_DIMS = {
    "sector": ("sektor", "sector"),
    "sektor": ("sektor", "sector"),
    "organisation": ("instansi", "agency"),
    "instansi": ("instansi", "agency"),
    "program": ("program", "program"),
    "cohort": ("angkatan", "cohort"),
}


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def _steps(path: str) -> list[str]:
    return [s.replace("~1", "/").replace("~0", "~") for s in path.strip("/").split("/")]


def _esc(step: str) -> str:
    return step.replace("~", "~0").replace("/", "~1")


class _Line:
    """Builds one line's text while recording the path of every number in it."""

    def __init__(self, hasil: Mapping[str, Any], lang: str) -> None:
        self.hasil, self.lang, self.numbers = hasil, lang, []  # type: ignore[var-annotated]

    def num(self, path: str, fmt: str) -> str:
        try:
            value = resolve_path(self.hasil, path)
        except KeyError:
            return "–"
        if value is None:
            return "–"
        text = format_value(value, fmt, self.lang)
        self.numbers.append(Number(path, fmt, text))
        return text

    def has(self, path: str) -> bool:
        try:
            return resolve_path(self.hasil, path) is not None
        except KeyError:
            return False


def _key(steps: list[str]) -> tuple[str, ...]:
    """What a path points at: the object its line describes."""
    head = steps[0] if steps else ""
    if head == "challenges" and len(steps) > 1:
        return ("challenges", steps[1])
    if head == "constructs" and len(steps) > 2:
        if len(steps) > 3 and steps[3].startswith("alpha"):
            return ("alpha", steps[1], steps[2])
        return ("constructs", steps[1], steps[2])
    if head == "groups" and len(steps) > 4:
        return ("groups", steps[1], steps[2], steps[4])
    if head == "prepost" and len(steps) > 1:
        return ("prepost", steps[1])
    if head == "ikm" and len(steps) > 3 and steps[2] == "nrr":
        return ("nrr", steps[1], steps[3])
    if head == "ikm" and len(steps) > 1:
        return ("ikm", steps[1])
    if head == "instruments" and len(steps) > 2:
        return ("instruments", steps[1], steps[2])
    if head == "jp" and len(steps) > 1:
        return ("jp", steps[1])
    if head == "findings" and len(steps) > 1:
        return ("findings", steps[1])
    if head == "themes" and len(steps) > 1:
        return ("themes", steps[1])
    return ("value", *steps)


def _challenge(hasil: Mapping[str, Any], index: str, lang: str) -> EvidenceLine:
    line, base = _Line(hasil, lang), f"challenges/{index}"
    item = resolve_path(hasil, base)
    theme = labels.theme_name(str(item.get("code")), lang, capital=True, hasil=hasil)
    share = line.num(f"{base}/share", "pct")
    who = labels.challenge_base(item, lang)
    text = f"{theme}: {share} {who}"
    if line.has(f"{base}/share_ci/0"):
        lo, hi = line.num(f"{base}/share_ci/0", "pct"), line.num(f"{base}/share_ci/1", "pct")
        text += _t(lang, f" (IK 95% {lo}–{hi})", f" (95% CI {lo}–{hi})")
    return EvidenceLine(text, ANCHORS["challenges"], line.numbers)


def _construct(hasil: Mapping[str, Any], form_id: str, name: str, lang: str) -> EvidenceLine:
    line = _Line(hasil, lang)
    base = f"constructs/{_esc(form_id)}/{_esc(name)}"
    stats = resolve_path(hasil, base)
    label = labels.construct_name(name, lang, capital=True)
    where = labels.instrument_name(hasil, form_id, lang).lower()
    if labels.is_binary_construct(stats):
        share = line.num(f"{base}/mean", "pct")
        text = _t(
            lang, f"{label} ({where}): {share} jawaban “ya”", f"{label} ({where}): {share} “yes”"
        )
    else:
        share = line.num(f"{base}/top2box", "pct")
        text = _t(
            lang,
            f"{label} ({where}): {share} memberi penilaian positif",
            f"{label} ({where}): {share} rated it positively",
        )
        if line.has(f"{base}/top2box_ci/0"):
            lo = line.num(f"{base}/top2box_ci/0", "pct")
            hi = line.num(f"{base}/top2box_ci/1", "pct")
            text += _t(lang, f" (IK 95% {lo}–{hi}", f" (95% CI {lo}–{hi}")
            text += f"; n = {line.num(f'{base}/n', 'int')})"
        elif line.has(f"{base}/n"):
            text += f" (n = {line.num(f'{base}/n', 'int')})"
    return EvidenceLine(text, ANCHORS["constructs"], line.numbers)


def _alpha(hasil: Mapping[str, Any], form_id: str, name: str, lang: str) -> EvidenceLine:
    line = _Line(hasil, lang)
    base = f"constructs/{_esc(form_id)}/{_esc(name)}"
    label = labels.construct_name(name, lang)
    where = labels.instrument_name(hasil, form_id, lang).lower()
    alpha = line.num(f"{base}/alpha", "num2")
    text = _t(
        lang,
        f"Reliabilitas konstruk {label} ({where}): alfa Cronbach {alpha}",
        f"Reliability of {label} ({where}): Cronbach's alpha {alpha}",
    )
    return EvidenceLine(text, ANCHORS["alpha"], line.numbers)


def _group_word(hasil: Mapping[str, Any], dim: str, cell: str, lang: str) -> str:
    if cell.lower() in _TRAINED:
        return _t(lang, "sudah dilatih", "trained")
    if cell.lower() in _UNTRAINED:
        return _t(lang, "belum dilatih", "not trained")
    return labels.group_name(hasil, dim, cell, lang)


def _groups(
    hasil: Mapping[str, Any], form_id: str, name: str, dim: str, paths: list[str], lang: str
) -> EvidenceLine:
    line = _Line(hasil, lang)
    base = f"groups/{_esc(form_id)}/{_esc(name)}/by/{_esc(dim)}"
    block = resolve_path(hasil, base)
    sub = "cells/" if "cells" in block else ""
    binary = labels.is_binary_construct(
        ((hasil.get("constructs") or {}).get(form_id) or {}).get(name) or {}
    )
    label = labels.construct_name(name, lang, capital=True)
    cells: list[str] = []
    for path in paths:
        steps = _steps(path)
        if len(steps) < 6 or steps[5] in ("test", "p", "pairwise"):
            continue
        cell = steps[6] if sub and len(steps) > 6 else steps[5]
        if cell not in cells:
            cells.append(cell)
    parts = []
    for cell in cells:
        cb = f"{base}/{sub}{_esc(cell)}"
        word = _group_word(hasil, dim, cell, lang)
        if binary:
            value = line.num(f"{cb}/mean", "pct") + _t(lang, " “ya”", " “yes”")
        elif line.has(f"{cb}/top2box") and not any(p.endswith("/mean") for p in paths):
            value = line.num(f"{cb}/top2box", "pct") + _t(lang, " menilai positif", " positive")
        else:
            value = _t(lang, "rata-rata ", "mean ") + line.num(f"{cb}/mean", "num2")
        if line.has(f"{cb}/n"):
            value += f" (n = {line.num(f'{cb}/n', 'int')})"
        parts.append(f"{word} {value}")
    dim_word = _DIMS.get(dim)
    if dim_word:
        where = _t(lang, f"menurut {dim_word[0]}", f"by {dim_word[1]}")
    else:
        where = _t(lang, "petugas yang sudah dan belum dilatih", "trained and untrained staff")
    text = f"{label}, {where}: " + "; ".join(parts)
    p_path = f"{base}/test/p" if line.has(f"{base}/test/p") else f"{base}/p"
    if any(_steps(p)[-1] == "p" for p in paths) and line.has(p_path):
        text += f"; p {line.num(p_path, 'p')}"
    anchor = ANCHORS["relevance"] if name == "relevansi" and dim in ("sector", "sektor") else ""
    return EvidenceLine(text, anchor or ANCHORS["groups"], line.numbers)


def _prepost(hasil: Mapping[str, Any], name: str, lang: str) -> EvidenceLine:
    line, base = _Line(hasil, lang), f"prepost/{_esc(name)}"
    test = labels.humanise(name)
    pre, post = line.num(f"{base}/mean_pre", "num1"), line.num(f"{base}/mean_post", "num1")
    n = line.num(f"{base}/n_pairs", "int")
    text = _t(
        lang,
        f"Tes {test}: rata-rata {pre} sebelum dan {post} sesudah pelatihan ({n} pasang",
        f"{labels.capitalise(test)} test: mean {pre} before and {post} after training ({n} pairs",
    )
    if line.has(f"{base}/p"):
        text += f"; p {line.num(f'{base}/p', 'p')}"
    if line.has(f"{base}/d_z"):
        text += _t(lang, "; ukuran efek dz ", "; effect size dz ") + line.num(f"{base}/d_z", "num2")
    return EvidenceLine(text + ")", ANCHORS["prepost"], line.numbers)


def _unit(hasil: Mapping[str, Any], unit: str, lang: str) -> str:
    if unit == "_all":
        return _t(lang, "keseluruhan", "overall")
    return labels.group_name(hasil, "unit", unit, lang)


def _nrr(hasil: Mapping[str, Any], unit: str, code: str, lang: str) -> EvidenceLine:
    line = _Line(hasil, lang)
    value = line.num(f"ikm/{_esc(unit)}/nrr/{_esc(code)}", "num2")
    unsur = labels.unsur_name(code, lang)
    text = _t(
        lang,
        f"Unsur SKM {unsur} ({_unit(hasil, unit, lang)}): nilai rata-rata {value} dari skala 4",
        f"SKM element {unsur} ({_unit(hasil, unit, lang)}): mean {value} on a 4-point scale",
    )
    return EvidenceLine(text, ANCHORS["nrr"], line.numbers)


def _ikm(hasil: Mapping[str, Any], unit: str, lang: str) -> EvidenceLine:
    line, base = _Line(hasil, lang), f"ikm/{_esc(unit)}"
    ikm = line.num(f"{base}/ikm", "num2")
    mutu = line.num(f"{base}/mutu", "text")
    n = line.num(f"{base}/n", "int")
    text = _t(
        lang,
        f"IKM {_unit(hasil, unit, lang)}: {ikm}, mutu {mutu} (n = {n})",
        f"IKM {_unit(hasil, unit, lang)}: {ikm}, grade {mutu} (n = {n})",
    )
    return EvidenceLine(text, ANCHORS["ikm"], line.numbers)


def _instrument(hasil: Mapping[str, Any], form_id: str, key: str, lang: str) -> EvidenceLine:
    line = _Line(hasil, lang)
    name = labels.instrument_name(hasil, form_id, lang)
    path = f"instruments/{_esc(form_id)}/{_esc(key)}"
    if key == "response_rate":
        text = _t(
            lang,
            f"Tingkat respons {name.lower()}: {line.num(path, 'pct')}",
            f"Response rate of the {name.lower()}: {line.num(path, 'pct')}",
        )
    else:
        text = f"{name}: {line.num(path, 'int')} " + _t(lang, "tanggapan", "responses")
    return EvidenceLine(text, ANCHORS["instruments"], line.numbers)


def _jp(hasil: Mapping[str, Any], year: str, lang: str) -> EvidenceLine:
    line, base = _Line(hasil, lang), f"jp/{_esc(year)}"
    share = line.num(f"{base}/share_meeting_20", "pct")
    n = line.num(f"{base}/n_asn", "int")
    line.numbers.append(Number(base, "key", year))
    text = _t(
        lang,
        f"ASN yang memenuhi 20 JP pada tahun {year}: {share} (n = {n})",
        f"ASN meeting 20 JP in {year}: {share} (n = {n})",
    )
    return EvidenceLine(text, ANCHORS["jp"], line.numbers)


def _theme(hasil: Mapping[str, Any], code: str, lang: str) -> EvidenceLine:
    line, base = _Line(hasil, lang), f"themes/{_esc(code)}"
    theme = labels.theme_name(code, lang, capital=True, hasil=hasil)
    share = line.num(f"{base}/share_respondents", "pct")
    text = _t(
        lang,
        f"Tema {theme.lower()}: disebut oleh {share} responden jawaban terbuka dan wawancara",
        f"Theme {theme.lower()}: raised by {share} of people in open answers and interviews",
    )
    return EvidenceLine(text, ANCHORS["themes"], line.numbers)


def _finding(hasil: Mapping[str, Any], index: str, lang: str) -> EvidenceLine:
    finding = resolve_path(hasil, f"findings/{index}")
    statement = finding.get("statement") if isinstance(finding, Mapping) else None
    text = (
        str(statement.get(lang) or statement.get("id") or "")
        if isinstance(statement, Mapping)
        else str(statement or "")
    )
    level = str(finding.get("level", "")) if isinstance(finding, Mapping) else ""
    anchor = "tantangan" if level == "tantangan" else f"hasil-{level}" if level else "hasil"
    numbers = []
    for param in ((finding.get("params") if isinstance(finding, Mapping) else None) or {}).values():
        if not isinstance(param, Mapping) or not param.get("path"):
            continue
        if param.get("fmt") in ("i18n", "words", "Words"):
            continue
        shown = format_value(param.get("value"), str(param.get("fmt")), lang)
        if shown in text:
            numbers.append(Number(str(param["path"]), str(param["fmt"]), shown))
    return EvidenceLine(text.rstrip("."), anchor, numbers)


def _value(hasil: Mapping[str, Any], steps: list[str], lang: str) -> EvidenceLine:
    line = _Line(hasil, lang)
    path = "/".join(_esc(s) for s in steps)
    try:
        value = resolve_path(hasil, path)
    except KeyError:
        value = None
    fmt = "pct" if isinstance(value, float) and 0 <= value <= 1 else "num2"
    fmt = "int" if isinstance(value, int) else fmt
    shown = line.num(path, fmt) if isinstance(value, int | float) else str(value or "–")
    return EvidenceLine(
        _t(lang, f"Nilai pendukung: {shown}", f"Supporting value: {shown}"), "", line.numbers
    )


def evidence_lines(
    hasil: Mapping[str, Any], paths: Iterable[str], lang: str = "id"
) -> list[EvidenceLine]:
    """The evidence ``paths`` (hasil paths) as one sentence per thing they point at."""
    lang = "en" if lang == "en" else "id"
    grouped: dict[tuple[str, ...], list[str]] = {}
    for path in paths:
        grouped.setdefault(_key(_steps(str(path))), []).append(str(path))
    out: list[EvidenceLine] = []
    for key, members in grouped.items():
        kind, args = key[0], key[1:]
        try:
            if kind == "challenges":
                out.append(_challenge(hasil, args[0], lang))
            elif kind == "constructs":
                out.append(_construct(hasil, args[0], args[1], lang))
            elif kind == "alpha":
                out.append(_alpha(hasil, args[0], args[1], lang))
            elif kind == "groups":
                out.append(_groups(hasil, args[0], args[1], args[2], members, lang))
            elif kind == "prepost":
                out.append(_prepost(hasil, args[0], lang))
            elif kind == "nrr":
                out.append(_nrr(hasil, args[0], args[1], lang))
            elif kind == "ikm":
                out.append(_ikm(hasil, args[0], lang))
            elif kind == "instruments":
                out.append(_instrument(hasil, args[0], args[1], lang))
            elif kind == "jp":
                out.append(_jp(hasil, args[0], lang))
            elif kind == "findings":
                out.append(_finding(hasil, args[0], lang))
            elif kind == "themes":
                out.append(_theme(hasil, args[0], lang))
            else:
                out.append(_value(hasil, list(args), lang))
        except (KeyError, TypeError, AttributeError, IndexError):
            out.append(_value(hasil, _steps(members[0]), lang))
    return out
