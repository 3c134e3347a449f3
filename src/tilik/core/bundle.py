"""The evaluation bundle: one evaluation as a folder of standard files (see DESIGN.md).

::

    evaluasi.yaml              what the evaluation is
    instrumen/<form_id>.xlsx   one XLSForm per instrument (.xls and .ods are read too)
    data/<form_id>.csv|.xlsx   responses, as KoboToolbox / ODK Central export them
    wawancara/index.csv        one row per interview: file, role, instansi, sector, date
    wawancara/*.txt|.md|.docx  transcripts
    peserta.csv                (Tilik extension, optional) the enrolled participants

:func:`read_bundle` never raises on bad content: every problem is collected with its file,
row, column, value and what was expected, and whatever can be read is read.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from tilik.core.columnar import frame_from_responses, read_table
from tilik.core.exports import ESCAPE, escape_text, unescape_cell
from tilik.core.i18n import gettext_noop
from tilik.core.ingest import (
    Quarantined,
    ReadResult,
    Response,
    decode_text,
    read_export,
    write_kobo_csv,
    write_kobo_xlsx,
)
from tilik.core.kinds import KINDS
from tilik.core.nip import nip_problem, pseudonymise
from tilik.core.previous import FOLLOW_UP_FILE, follow_up_rows, read_follow_ups, resolve_previous
from tilik.core.problems import BundleError, Problem
from tilik.core.xlsform import Form, pyxform_problems, read_xlsform, write_xlsform

__all__ = [
    "KINDS",
    "Bundle",
    "Dataset",
    "EvaluationMeta",
    "InstrumentSpec",
    "Interview",
    "Participant",
    "Program",
    "infer_kind",
    "read_bundle",
    "read_meta",
    "write_bundle",
]

# evaluasi.yaml key saying the CSV files were escaped for spreadsheets (value: the prefix)
FORMULA_ESCAPE_KEY = "formula_escape"
ROSTER_COLUMNS = (
    "nip",
    "nama",
    "jenis_kelamin",
    "instansi",
    "sektor",
    "jabatan",
    "program",
    "angkatan",
    "kehadiran",
    "jp",
    "tahun",
)
INTERVIEW_COLUMNS = ("file", "role", "instansi", "sector", "date")
_TRANSCRIPT_SUFFIXES = (".txt", ".md", ".docx")


@dataclass
class Program:
    name: str
    kind: str = ""
    jp: float | None = None
    start: date | None = None
    end: date | None = None
    budget: float | None = None
    participants: int | None = None


@dataclass
class InstrumentSpec:
    form_id: str
    kind: str
    test: str = ""
    compare_by: str = ""
    unit: str = ""
    inferred: bool = False


@dataclass
class EvaluationMeta:
    title: str = ""
    organisation: str = ""
    period: int | str | None = None
    programs: list[Program] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    instruments: dict[str, InstrumentSpec] = field(default_factory=dict)
    thresholds: dict[str, Any] = field(default_factory=dict)
    previous: str = ""  # the previous cycle's bundle, relative to this folder (tilik.core.previous)
    raw: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The evaluation part of ``hasil.json``."""
        return {
            "title": self.title,
            "organisation": self.organisation,
            "period": self.period,
            "objectives": list(self.objectives),
            "programs": [
                {
                    "name": p.name,
                    "kind": p.kind,
                    "jp": p.jp,
                    "dates": {
                        "start": p.start.isoformat() if p.start else None,
                        "end": p.end.isoformat() if p.end else None,
                    },
                    "budget": p.budget,
                    "participants": p.participants,
                }
                for p in self.programs
            ],
        }


@dataclass
class Dataset:
    """Responses to one instrument, read from ``data/<form_id>.csv|.xlsx``.

    The analysis reads :meth:`frame` (typed columns, read by columns:
    :func:`tilik.core.columnar.read_table`); :attr:`responses` (one dictionary per row, the
    row reader's) are made when first asked for.
    """

    form_id: str
    file: str
    form: Form
    _responses: list[Response] | None = None
    quarantined: list[Quarantined] = field(default_factory=list)
    duplicates: int = 0
    _frame: pl.DataFrame | None = field(default=None, repr=False)
    _source: bytes | Path | None = field(default=None, repr=False)  # a Path: read when asked
    _key: bytes = field(default=b"", repr=False)
    _escaped: bool = field(default=False, repr=False)  # the bundle's CSVs are formula-escaped
    _problems_at: int | None = field(default=None, repr=False)  # where its problems go, unread

    @property
    def read(self) -> bool:
        """Whether its rows were read with the bundle (see ``read_bundle(read_data=...)``)."""
        return self._problems_at is None

    @property
    def responses(self) -> list[Response]:
        """The stored rows as the row reader reads them (read again from the file the first
        time, when the frame was read by columns)."""
        if self._responses is None:
            self._responses = []
            if self._source is not None:
                source = self._source
                data = source.read_bytes() if isinstance(source, Path) else source
                read = read_export(
                    data,
                    self.form,
                    file_name=self.file,
                    hash_key=self._key,
                    formula_escaped=self._escaped,
                )
                self._responses = read.responses
        return self._responses

    @property
    def n_responses(self) -> int:
        """How many rows are stored."""
        return self._frame.height if self._frame is not None else len(self.responses)

    def frame(self) -> pl.DataFrame:
        """One row per stored response, the columns of
        :func:`tilik.core.columnar.frame_columns`: personal fields (NIP, names) are replaced
        by keyed hashes or left out, so nothing identifying reaches the analysis."""
        if self._frame is None:
            self._frame = frame_from_responses(self.responses, self.form, self._key)
        return self._frame


@dataclass
class Interview:
    file: str
    role: str = ""
    instansi: str = ""
    sector: str = ""
    date: date | None = None
    text: str = ""


@dataclass
class Participant:
    key: str
    instansi: str = ""
    sektor: str = ""
    jabatan: str = ""
    program: str = ""
    angkatan: str = ""
    kehadiran: float | None = None
    jp: float | None = None
    year: int | None = None
    nip: str = field(default="", repr=False)
    nama: str = field(default="", repr=False)
    jenis_kelamin: str = ""


@dataclass
class Bundle:
    path: Path
    meta: EvaluationMeta
    forms: dict[str, Form] = field(default_factory=dict)
    data: dict[str, Dataset] = field(default_factory=dict)
    interviews: list[Interview] = field(default_factory=list)
    roster: list[Participant] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    hash_key: bytes = field(default=b"", repr=False)
    # the bytes of every instrument and data file read (by path in the bundle): an import
    # stores these, never reads the folder a second time
    sources: dict[str, bytes] = field(default_factory=dict, repr=False)
    _data_end: int = field(default=0, repr=False)  # where the data files' problems end
    # tindak_lanjut.csv: what became of the evaluation's recommendations, by key
    follow_ups: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def refusals(self) -> list[Problem]:
        """The errors that refuse the bundle as a whole: every error except the problems of
        data rows, which an import quarantines. ``tilik bundle check`` reports them and
        ``tilik bundle import`` refuses the bundle for them: one reader, one verdict."""
        held = {id(p) for d in self.data.values() for q in d.quarantined for p in q.problems}
        return [p for p in self.errors if id(p) not in held]

    def add_data(self, dataset: Dataset, result: ReadResult) -> None:
        """Add a dataset read elsewhere (an evaluation's stored submissions) with what
        reading it gave, its problems after those of the datasets read so far."""
        self.data[dataset.form_id] = dataset
        found = list(result.problems) + [p for row in result.quarantined for p in row.problems]
        self.problems[self._data_end : self._data_end] = found
        self._data_end += len(found)
        dataset.quarantined, dataset.duplicates = result.quarantined, result.duplicates

    def add_read(self, dataset: Dataset, result: ReadResult) -> None:
        """Record what reading an unread dataset's rows gave (its quarantined rows and
        duplicates, and the problems, where :func:`read_bundle` would have put them)."""
        at = dataset._problems_at
        if at is None:
            raise ValueError(f"{dataset.file} was read with the bundle")
        found = list(result.problems) + [p for row in result.quarantined for p in row.problems]
        self.problems[at:at] = found
        later = list(self.data.values())
        for other in later[later.index(dataset) + 1 :]:
            if other._problems_at is not None:
                other._problems_at += len(found)
        dataset._problems_at = None
        dataset.quarantined, dataset.duplicates = result.quarantined, result.duplicates

    def spec(self, form_id: str) -> InstrumentSpec:
        return self.meta.instruments.get(form_id) or InstrumentSpec(
            form_id, infer_kind(form_id), inferred=True
        )


def infer_kind(form_id: str) -> str:
    """The instrument kind a form id suggests (used when ``evaluasi.yaml`` says none)."""
    fid = form_id.lower()
    rules = (
        (("survei_peserta", "peserta", "participant"), "survei_peserta"),
        (("survei_atasan", "atasan", "supervisor"), "survei_atasan"),
        (("pretest", "pre_test", "tes_awal", "pre"), "tes_awal"),
        (("posttest", "post_test", "tes_akhir", "post"), "tes_akhir"),
        (("observasi", "observation"), "observasi"),
        (("skm", "kepuasan"), "skm"),
    )
    for needles, kind in rules:
        if any(fid.startswith(n) or n in fid for n in needles):
            return kind
    return "lainnya"


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _as_number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).replace("_", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # Indonesian thousands: 150.000.000
        text = text.replace(".", "")
    return float(text.replace(",", "."))


_MAX_YAML_NODES = 20_000  # an evaluasi.yaml is a page of text; aliases may not blow it up


def _inside(root: Path, file: Path, problems: list[Problem], label: str) -> bool:
    """Whether ``file`` (maybe a symbolic link, or in a linked folder) stays inside the bundle
    folder ``root``; a problem says so when it does not. Nothing outside is ever read."""
    real = os.path.realpath(file)
    base = os.path.realpath(root)
    if os.path.commonpath([real, base]) == base:
        return True
    problems.append(
        Problem(
            gettext_noop(
                "berkas ini menunjuk ke luar folder bundel (tautan simbolik atau jalur «..»); "
                "tidak dibaca"
            ),
            file=label,
            expected=gettext_noop("berkas di dalam folder bundel"),
        )
    )
    return False


def _load_yaml(text: str) -> Any:
    """``yaml.safe_load``, refusing aliases that would expand the document beyond any
    evaluasi.yaml (a "billion laughs") or refer to themselves: counted on the composed node
    graph, which shares what aliases repeat, before anything is built."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        return None
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(current: yaml.Node) -> int:
        key = id(current)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise _YamlRefused(
                gettext_noop("evaluasi.yaml ditolak: sebuah alias YAML merujuk dirinya sendiri")
            )
        open_nodes.add(key)
        total = 1
        if isinstance(current, yaml.SequenceNode):
            total += sum(size(child) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in current.value)
        open_nodes.discard(key)
        sizes[key] = min(total, _MAX_YAML_NODES + 1)
        return sizes[key]

    if size(node) > _MAX_YAML_NODES:
        raise _YamlRefused(
            gettext_noop(
                "evaluasi.yaml ditolak: alias YAML mengembangkannya menjadi lebih dari 20.000 "
                "nilai (bom alias)"
            )
        )
    return yaml.safe_load(text)


class _YamlRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _read_meta(path: Path, problems: list[Problem]) -> EvaluationMeta:
    label = "evaluasi.yaml"
    file = path / label
    if (file.exists() or file.is_symlink()) and not _inside(path, file, problems, label):
        return EvaluationMeta()
    if not file.exists():
        problems.append(
            Problem(
                gettext_noop("berkas evaluasi.yaml tidak ada"),
                file=label,
                expected=gettext_noop("evaluasi.yaml di akar folder bundel"),
            )
        )
        return EvaluationMeta()
    try:
        data = _load_yaml(decode_text(file.read_bytes())[0]) or {}
    except _YamlRefused as exc:
        problems.append(Problem(exc.message, file=label))
        return EvaluationMeta()
    except RecursionError:
        problems.append(
            Problem(
                gettext_noop("YAML tidak sah: {detail}"),
                file=label,
                params={"detail": "nesting too deep"},
            )
        )
        return EvaluationMeta()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(
            Problem(
                gettext_noop("YAML tidak sah: {detail}"),
                file=label,
                row=(mark.line + 1) if mark else None,
                params={"detail": getattr(exc, "problem", str(exc))},
            )
        )
        return EvaluationMeta()
    if not isinstance(data, dict):
        problems.append(
            Problem(
                gettext_noop("isi evaluasi.yaml harus berupa pemetaan kunci: nilai"), file=label
            )
        )
        return EvaluationMeta()
    meta = EvaluationMeta(raw=data)
    for key in ("title", "organisation"):
        value = data.get(key)
        if not value:
            problems.append(
                Problem(gettext_noop("kunci wajib tidak ada atau kosong"), file=label, column=key)
            )
        else:
            setattr(meta, key, str(value))
    meta.period = data.get("period")
    objectives = data.get("objectives") or []
    if not isinstance(objectives, list):
        problems.append(
            Problem(gettext_noop("harus berupa daftar"), file=label, column="objectives")
        )
        objectives = [objectives]
    meta.objectives = [str(o) for o in objectives]
    for index, raw in enumerate(data.get("programs") or []):
        where = f"programs[{index}]"
        if not isinstance(raw, dict) or not raw.get("name"):
            problems.append(
                Problem(gettext_noop("program harus punya nama (name)"), file=label, column=where)
            )
            continue
        program = Program(name=str(raw["name"]), kind=str(raw.get("kind", "")))
        dates = raw.get("dates") or {}
        for attr, key, convert in (
            ("jp", "jp", _as_number),
            ("budget", "budget", _as_number),
            ("participants", "participants", _as_number),
            ("start", "start", _as_date),
            ("end", "end", _as_date),
        ):
            source = dates if key in ("start", "end") else raw
            try:
                value = convert(source.get(key))
            except (ValueError, TypeError):
                problems.append(
                    Problem(
                        gettext_noop("nilai tidak sah"),
                        file=label,
                        column=f"{where}.{key}",
                        value=str(source.get(key)),
                        expected=gettext_noop("tanggal TTTT-BB-HH")
                        if key in ("start", "end")
                        else gettext_noop("bilangan"),
                    )
                )
                continue
            if attr == "participants" and isinstance(value, float):
                value = int(value)
            setattr(program, attr, value)
        meta.programs.append(program)
    instruments = data.get("instruments") or {}
    if not isinstance(instruments, dict):
        problems.append(
            Problem(
                gettext_noop("harus berupa pemetaan form_id: {{kind: ...}}"),
                file=label,
                column="instruments",
            )
        )
        instruments = {}
    for form_id, raw in instruments.items():
        raw = raw or {}
        kind = str(raw.get("kind", "")) or infer_kind(str(form_id))
        if kind not in KINDS:
            problems.append(
                Problem(
                    gettext_noop("jenis instrumen tidak dikenal"),
                    file=label,
                    column=f"instruments.{form_id}.kind",
                    value=kind,
                    expected=", ".join(KINDS),
                )
            )
            kind = "lainnya"
        meta.instruments[str(form_id)] = InstrumentSpec(
            form_id=str(form_id),
            kind=kind,
            test=str(raw.get("test", "")),
            compare_by=str(raw.get("compare_by", "")),
            unit=str(raw.get("unit", "")),
        )
    thresholds = data.get("thresholds") or {}
    meta.thresholds = thresholds if isinstance(thresholds, dict) else {}
    if data.get("previous") not in (None, ""):
        found, problem = resolve_previous(path, data.get("previous"))
        if problem is not None:
            problems.append(problem)
        meta.previous = str(data["previous"]) if found is not None else ""
    return meta


FORM_SUFFIXES = (".xlsx", ".xls", ".ods")


def read_meta(path: str | Path) -> EvaluationMeta:
    """Only ``evaluasi.yaml`` of a bundle (what an evaluation is: its title, organisation,
    period), read with the same guards as :func:`read_bundle`; problems are left out."""
    return _read_meta(Path(path), [])


def _read_forms(
    path: Path, problems: list[Problem], check: bool, sources: dict[str, bytes]
) -> dict[str, Form]:
    forms: dict[str, Form] = {}
    folder = path / "instrumen"
    if not folder.is_dir():
        problems.append(Problem(gettext_noop("folder instrumen/ tidak ada"), file="instrumen/"))
        return forms
    # .xls and .ods forms too (offices keep the old Excel format; pyxform reads them).
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in FORM_SUFFIXES)
    for file in files:
        label = f"instrumen/{file.name}"
        if not _inside(path, file, problems, label):
            continue
        if file.stem in forms:
            problems.append(
                Problem(
                    gettext_noop(
                        "dua berkas XLSForm untuk instrumen yang sama; yang ini diabaikan"
                    ),
                    file=label,
                    expected=f"instrumen/{file.stem}.xlsx",
                    severity="warning",
                )
            )
            continue
        data = sources[label] = file.read_bytes()
        form, found = read_xlsform(data, file_name=label)
        problems.extend(found)
        if check:
            problems.extend(pyxform_problems(data, file_name=label))
        if form is not None:
            form.form_id = file.stem
            forms[file.stem] = form
    return forms


def _read_data(path: Path, bundle: Bundle, read: bool = True, keep_sources: bool = True) -> None:
    folder = path / "data"
    if not folder.is_dir():
        return
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
    for file in files:
        label = f"data/{file.name}"
        if not _inside(path, file, bundle.problems, label):
            continue
        form = bundle.forms.get(file.stem)
        if form is None:
            bundle.problems.append(
                Problem(
                    gettext_noop("data tanpa instrumen: tidak ada instrumen/{form_id}.xlsx"),
                    file=label,
                    params={"form_id": file.stem},
                )
            )
            continue
        if file.stem in bundle.data:
            bundle.problems.append(
                Problem(
                    gettext_noop("data untuk formulir ini ada dalam dua berkas; yang ini dilewati"),
                    file=label,
                )
            )
            continue
        data = file.read_bytes()
        if keep_sources or not read:
            bundle.sources[label] = data
        # without its bytes kept, a dataset reads its file again if its rows are asked for
        kept = data if keep_sources or not read else Path(os.path.realpath(file))
        dataset = bundle.data[file.stem] = Dataset(
            file.stem,
            label,
            form,
            _source=kept,
            _key=bundle.hash_key,
            _escaped=_escaped(bundle),
        )
        if not read:  # the caller reads it (an import streams the rows to the database)
            dataset._problems_at = len(bundle.problems)
            continue
        table = read_table(
            data,
            form,
            file_name=label,
            hash_key=bundle.hash_key,
            formula_escaped=_escaped(bundle),
        )
        result = table.result
        bundle.problems.extend(result.problems)
        for row in result.quarantined:
            bundle.problems.extend(row.problems)
        dataset._responses, dataset._frame = table.responses, table.frame
        dataset.quarantined, dataset.duplicates = result.quarantined, result.duplicates


def read_transcript(file: Path) -> str:
    """Text of a transcript: plain text, Markdown, or the paragraphs of a DOCX."""
    if file.suffix.lower() == ".docx":
        import docx

        document = docx.Document(str(file))
        return "\n".join(p.text for p in document.paragraphs)
    return decode_text(file.read_bytes())[0].replace("\r\n", "\n")


def _escaped(bundle: Bundle) -> bool:
    """Whether the bundle's CSV files were made safe for spreadsheets by Tilik (a ``'`` before
    values that look like formulas, see :mod:`tilik.core.exports`): then it comes off again."""
    return bundle.meta.raw.get(FORMULA_ESCAPE_KEY) == ESCAPE


def _read_csv_dicts(file: Path, escaped: bool = False) -> list[dict[str, str]]:
    text, _ = decode_text(file.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    if escaped:
        rows = [
            {k: unescape_cell(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows
        ]
    return rows


def _read_interviews(path: Path, bundle: Bundle) -> None:
    folder = path / "wawancara"
    if not folder.is_dir():
        return
    listed: set[str] = set()
    index = folder / "index.csv"
    if index.exists() and _inside(path, index, bundle.problems, "wawancara/index.csv"):
        for row_number, row in enumerate(_read_csv_dicts(index, _escaped(bundle)), start=2):
            name = (row.get("file") or "").strip()
            if not name:
                bundle.problems.append(
                    Problem(
                        gettext_noop("nama berkas transkrip kosong"),
                        file="wawancara/index.csv",
                        row=row_number,
                        column="file",
                    )
                )
                continue
            listed.add(name)
            file = folder / name
            if not _inside(path, file, bundle.problems, f"wawancara/{name}"):
                continue
            if not file.is_file():
                bundle.problems.append(
                    Problem(
                        gettext_noop("transkrip yang disebut tidak ada"),
                        file="wawancara/index.csv",
                        row=row_number,
                        column="file",
                        value=name,
                    )
                )
                continue
            when = None
            raw_date = (row.get("date") or "").strip()
            if raw_date:
                try:
                    when = date.fromisoformat(raw_date)
                except ValueError:
                    bundle.problems.append(
                        Problem(
                            gettext_noop("bukan tanggal"),
                            file="wawancara/index.csv",
                            row=row_number,
                            column="date",
                            value=raw_date,
                            expected=gettext_noop("tanggal TTTT-BB-HH"),
                            severity="warning",
                        )
                    )
            bundle.interviews.append(
                Interview(
                    file=name,
                    role=(row.get("role") or "").strip(),
                    instansi=(row.get("instansi") or "").strip(),
                    sector=(row.get("sector") or "").strip(),
                    date=when,
                    text=read_transcript(file),
                )
            )
    for file in sorted(folder.iterdir()):
        if file.suffix.lower() in _TRANSCRIPT_SUFFIXES and file.name not in listed:
            if file.name.lower() == "readme.md":
                continue
            if not _inside(path, file, bundle.problems, f"wawancara/{file.name}"):
                continue
            bundle.problems.append(
                Problem(
                    gettext_noop(
                        "transkrip tidak tercatat di wawancara/index.csv; dibaca tanpa metadata"
                    ),
                    file=f"wawancara/{file.name}",
                    severity="warning",
                )
            )
            bundle.interviews.append(Interview(file=file.name, text=read_transcript(file)))


def _read_roster(path: Path, bundle: Bundle) -> None:
    file = path / "peserta.csv"
    label = "peserta.csv"
    if not file.exists() or not _inside(path, file, bundle.problems, label):
        return
    seen: set[str] = set()
    for row_number, row in enumerate(_read_csv_dicts(file, _escaped(bundle)), start=2):
        nip = (row.get("nip") or "").strip()
        problem = nip_problem(nip) if nip else gettext_noop("NIP kosong")
        if problem:
            bundle.problems.append(
                Problem(
                    problem,
                    file=label,
                    row=row_number,
                    column="nip",
                    value=nip,
                    expected=gettext_noop("NIP 18 angka"),
                )
            )
            continue
        key = pseudonymise(nip, bundle.hash_key)
        if key in seen:
            bundle.problems.append(
                Problem(
                    gettext_noop("NIP ini sudah tercatat di baris sebelumnya; baris ini dilewati"),
                    file=label,
                    row=row_number,
                    column="nip",
                    severity="warning",
                )
            )
            continue
        seen.add(key)
        participant = Participant(
            key=key,
            nip=nip,
            nama=(row.get("nama") or "").strip(),
            jenis_kelamin=(row.get("jenis_kelamin") or "").strip(),
            instansi=(row.get("instansi") or "").strip(),
            sektor=(row.get("sektor") or "").strip(),
            jabatan=(row.get("jabatan") or "").strip(),
            program=(row.get("program") or "").strip(),
            angkatan=(row.get("angkatan") or "").strip(),
        )
        for attr, column in (("kehadiran", "kehadiran"), ("jp", "jp")):
            text = (row.get(column) or "").strip().replace(",", ".")
            if not text:
                continue
            try:
                setattr(participant, attr, float(text))
            except ValueError:
                bundle.problems.append(
                    Problem(
                        gettext_noop("bukan bilangan"),
                        file=label,
                        row=row_number,
                        column=column,
                        value=text,
                        expected=gettext_noop("bilangan"),
                    )
                )
        year = (row.get("tahun") or "").strip()
        if year.isdigit():
            participant.year = int(year)
        bundle.roster.append(participant)


def _key_from_env() -> bytes:
    value = os.environ.get("TILIK_HASH_KEY", "")
    return value.encode("utf-8") if value else secrets.token_bytes(32)


def read_bundle(
    path: str | Path,
    *,
    check_forms: bool = False,
    hash_key: bytes | None = None,
    read_data: bool = True,
    keep_sources: bool = True,
) -> Bundle:
    """Read a bundle folder.

    ``check_forms`` also runs every XLSForm through pyxform (slower; ``tilik bundle check`` does).
    ``hash_key`` keys the pseudonyms of NIPs; by default ``TILIK_HASH_KEY`` or a fresh random key,
    so pseudonyms are stable within one read and useless outside it. With ``read_data`` False
    the data files are read as bytes only (``sources``); the caller reads their rows and
    reports what it found with :meth:`Bundle.add_read` (an import streams them to the
    database, :func:`tilik.web.evaluations.bundles.import_bundle`). Without
    ``keep_sources`` the data files' bytes are let go once read (an analysis needs their
    frames only: a national survey's file is hundreds of megabytes).
    """
    root = Path(path)
    if not root.is_dir():
        raise BundleError(Problem(gettext_noop("folder bundel tidak ditemukan"), file=str(root)))
    problems: list[Problem] = []
    meta = _read_meta(root, problems)
    bundle = Bundle(
        path=root,
        meta=meta,
        problems=problems,
        hash_key=hash_key if hash_key is not None else _key_from_env(),
    )
    bundle.forms = _read_forms(root, problems, check_forms, bundle.sources)
    for form_id in meta.instruments:
        if form_id not in bundle.forms:
            problems.append(
                Problem(
                    gettext_noop("instrumen disebut di evaluasi.yaml tetapi berkasnya tidak ada"),
                    file="evaluasi.yaml",
                    column=f"instruments.{form_id}",
                    expected=f"instrumen/{form_id}.xlsx",
                )
            )
    for form_id in bundle.forms:
        if form_id not in meta.instruments:
            kind = infer_kind(form_id)
            meta.instruments[form_id] = InstrumentSpec(form_id, kind, inferred=True)
            if meta.raw.get("instruments"):
                problems.append(
                    Problem(
                        gettext_noop(
                            "jenis instrumen tidak disebut di evaluasi.yaml; "
                            "ditebak dari form_id: {kind}"
                        ),
                        file=f"instrumen/{form_id}.xlsx",
                        severity="warning",
                        params={"kind": kind},
                    )
                )
    _read_data(root, bundle, read_data, keep_sources)
    bundle._data_end = len(problems)
    _read_interviews(root, bundle)
    _read_roster(root, bundle)
    follow_ups = root / FOLLOW_UP_FILE
    if (follow_ups.exists() or follow_ups.is_symlink()) and _inside(
        root, follow_ups, problems, FOLLOW_UP_FILE
    ):
        bundle.follow_ups = read_follow_ups(
            follow_ups.read_bytes(), problems, escaped=_escaped(bundle)
        )
    return bundle


def write_bundle(
    target: str | Path,
    meta: dict[str, Any],
    forms: dict[str, Form],
    responses: dict[str, list[Response]],
    interviews: list[Interview],
    roster: list[dict[str, str]] | None = None,
    follow_ups: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """Write a bundle folder in canonical form (data as KoboToolbox writes it).

    Its CSV files are safe to open in a spreadsheet: values that would run as formulas get a
    leading ``'``, and evaluasi.yaml says so (``formula_escape``), so that reading the
    bundle back removes exactly that ``'`` again.
    """
    root = Path(target)
    (root / "instrumen").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    meta = {**meta, FORMULA_ESCAPE_KEY: ESCAPE}
    (root / "evaluasi.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False),
        encoding="utf-8",
    )
    for form_id, form in sorted(forms.items()):
        write_xlsform(form, root / "instrumen" / f"{form_id}.xlsx")
        if responses.get(form_id):
            if form.repeats:  # a CSV has no room for repeats: KoboToolbox's XLSX layout
                write_kobo_xlsx(form, responses[form_id], root / "data" / f"{form_id}.xlsx")
            else:
                path = root / "data" / f"{form_id}.csv"
                write_kobo_csv(form, responses[form_id], path, escape=True)
    if interviews:
        folder = root / "wawancara"
        folder.mkdir(exist_ok=True)
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(INTERVIEW_COLUMNS)
        for interview in interviews:
            name = Path(interview.file).name
            if Path(name).suffix.lower() == ".docx":
                name = Path(name).with_suffix(".txt").name
            (folder / name).write_text(interview.text, encoding="utf-8")
            row = [name, interview.role, interview.instansi, interview.sector]
            row.append(interview.date.isoformat() if interview.date else "")
            writer.writerow([escape_text(str(v)) for v in row])
        (folder / "index.csv").write_text(buffer.getvalue(), encoding="utf-8")
    if roster:
        roster_buffer = io.StringIO(newline="")
        roster_writer = csv.DictWriter(
            roster_buffer,
            fieldnames=list(ROSTER_COLUMNS),
            lineterminator="\n",
            extrasaction="ignore",
        )
        roster_writer.writeheader()
        roster_writer.writerows(
            {k: escape_text(str(v)) if v is not None else "" for k, v in r.items()} for r in roster
        )
        (root / "peserta.csv").write_text(roster_buffer.getvalue(), encoding="utf-8")
    if follow_ups:
        (root / FOLLOW_UP_FILE).write_bytes(follow_up_rows(follow_ups))
    return root
