from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from icalendar import Calendar

from tests.schedule_builders import plan_of, small_plan, write_yaml
from tilik.core.schedule import (
    evaluate,
    precheck,
    read_plan,
    rigid_plan,
    schedule_rows,
    solve,
    summary,
    write_files,
)
from tilik.core.schedule.metrics import away_slots


@pytest.fixture(scope="module")
def solved():
    plan = plan_of(small_plan())
    result = solve(plan)
    assert result.ok, [r.render() for r in result.reasons]
    return plan, result.schedule


def test_it_names_line_field_value_and_expectation_of_a_mistake(tmp_path):
    data = small_plan()
    data["participants"][1]["unit"] = "puskesmas_x"
    path = write_yaml(tmp_path / "jadwal.yaml", data)
    plan, problems = read_plan(path)
    assert plan is None
    text = [p.render("en") for p in problems]
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if "puskesmas_x" in row)
    assert any(
        f"jadwal.yaml, row {line}, column «participants[2].unit»" in t and "puskesmas_x" in t
        for t in text
    ), text


def test_it_reads_a_broken_yaml_without_a_traceback(tmp_path):
    path = tmp_path / "jadwal.yaml"
    path.write_text("title: [unclosed\n", encoding="utf-8")
    plan, problems = read_plan(path)
    assert plan is None and problems[0].row is not None


def test_it_gives_every_participant_every_required_module_once(solved):
    plan, schedule = solved
    sessions = schedule.by_participant()
    for person in plan.participants:
        taken = Counter(s.module for s in sessions[person.code])
        assert {m for m, c in taken.items() if c == 1} >= {"M1", "M2", "M3"}
        assert all(c == 1 for c in taken.values())


def test_it_brings_everyone_to_the_yearly_jp_target(solved):
    plan, schedule = solved
    sessions = schedule.by_participant()
    for person in plan.participants:
        jp = sum(plan.modules[s.module].jp for s in sessions[person.code])
        assert person.jp_year + jp >= 20, person.code


def test_it_never_leaves_a_unit_below_its_minimum(solved):
    plan, schedule = solved
    sessions = schedule.by_participant()
    for unit in plan.units.values():
        away = Counter()
        for person in plan.participants:
            if person.unit == unit.code and person.front_line:
                away.update(away_slots(plan, person, sessions[person.code]))
        for slot in range(plan.calendar.n_slots):
            assert unit.front_line_staff - away[slot] >= unit.minimum_at(slot), (unit.code, slot)


def test_it_books_trainers_and_rooms_once_at_a_time_within_capacity(solved):
    plan, schedule = solved
    for field in ("trainer", "venue"):
        used = Counter(
            (getattr(s, field), t) for s in schedule.sessions if getattr(s, field) for t in s.slots
        )
        assert max(used.values()) == 1
    seats = Counter(a.session for a in schedule.attendance)
    for session in schedule.sessions:
        capacity = plan.modes[session.mode].capacity
        assert seats[session.id] <= capacity
        if plan.modes[session.mode].trainer:
            assert session.trainer
            trainer = next(t for t in plan.trainers if t.code == session.trainer)
            assert session.module in trainer.modules
            assert trainer.unavailable.isdisjoint(session.slots)


def test_it_respects_stated_unavailability_and_live_online_reach(solved):
    plan, schedule = solved
    sessions = schedule.by_participant()
    for person in plan.participants:
        assert person.unavailable.isdisjoint(away_slots(plan, person, sessions[person.code]))
    island = sessions["P6"]
    assert all(s.mode != "daring" for s in island)


def test_it_beats_the_rigid_plan_on_shortfall_and_completion(solved):
    plan, schedule = solved
    flexible, rigid = evaluate(plan, schedule), evaluate(plan, rigid_plan(plan))
    assert flexible["shortfall_hours"] == 0 < rigid["shortfall_hours"]
    assert flexible["completion"] == 1.0 > rigid["completion"]
    assert flexible["share_target"] > rigid["share_target"]


def test_it_reports_an_optimality_gap(solved):
    _plan, schedule = solved
    assert schedule.status in ("optimal", "feasible")
    assert 0 <= schedule.gap <= 1
    assert schedule.bound <= schedule.objective


def test_it_explains_who_a_unit_cannot_spare_and_when():
    data = small_plan()
    # Three of Puskesmas Oesapa's four nurses can only train on Tuesday 12 May, morning.
    for person in data["participants"][:3]:
        person["unavailable"] = [
            {"from": "2026-05-11", "to": "2026-05-11"},
            "2026-05-12 siang",
            {"from": "2026-05-13", "to": "2026-05-22"},
        ]
    data["modules"] = [{"code": "M1", "name": "Etika pelayanan", "jp": 4, "modes": ["kelas"]}]
    data["trainers"] = [{"code": "W1", "modules": ["M1"]}]
    data["options"]["jp_target"] = 0
    result = solve(plan_of(data))
    assert result.status == "infeasible"
    texts = {lang: " ".join(r.render(lang) for r in result.reasons) for lang in ("id", "en")}
    said_id = "Puskesmas Oesapa: 3 dari 4 petugas garis depannya akan pergi pada Selasa, 12 Mei"
    said_en = "Puskesmas Oesapa: 3 of its 4 front-line staff would be away on Tuesday, 12 May 2026"
    assert said_id + " 2026 (pagi)" in texts["id"] and "minimumnya 2" in texts["id"]
    assert said_en + " (morning)" in texts["en"] and "its minimum is 2" in texts["en"]


def test_it_explains_a_conflict_only_the_solver_can_find():
    data = small_plan()
    data["units"] = [
        {"code": "pkm", "name": "Puskesmas Bakunase", "front_line_staff": 2, "minimum": 1}
    ]
    data["modules"] = [
        {"code": "M1", "name": "Etika", "jp": 4, "modes": ["mandiri"]},
        {"code": "M2", "name": "Pengaduan", "jp": 4, "modes": ["mandiri"]},
    ]
    data["trainers"] = []
    # Both nurses are free on the first Monday only: four half-days of training, one at a time.
    free_monday = [{"from": "2026-05-12", "to": "2026-05-22"}]
    data["participants"] = [
        {"code": "A1", "unit": "pkm", "unavailable": free_monday},
        {"code": "A2", "unit": "pkm", "unavailable": free_monday},
    ]
    data["options"]["jp_target"] = 0
    plan = plan_of(data)
    assert precheck(plan) == []
    result = solve(plan)
    assert result.status == "infeasible"
    text = " ".join(r.render("en") for r in result.reasons)
    assert "A1" in text and "A2" in text and "Puskesmas Bakunase" in text


def test_it_writes_calendars_that_parse_back(solved, tmp_path):
    plan, schedule = solved
    write_files(plan, schedule, tmp_path)
    sessions = schedule.by_participant()
    for person in plan.participants:
        cal = Calendar.from_ical((tmp_path / "ics" / "peserta" / f"{person.code}.ics").read_bytes())
        assert cal["VERSION"] == "2.0" and cal["PRODID"]
        events = cal.walk("VEVENT")
        days = sum(
            len({plan.calendar.slot_date(t) for t in s.slots}) for s in sessions[person.code]
        )
        assert len(events) == days
        for event in events:
            assert event["UID"] and event["DTSTAMP"]
            assert event.decoded("DTSTART").tzinfo is not None
            assert event.decoded("DTEND") > event.decoded("DTSTART")
        assert cal.walk("VTIMEZONE")
        assert str(cal["X-WR-CALNAME"]).endswith(person.code)
    taught = Calendar.from_ical((tmp_path / "ics" / "pelatih" / "W1.ics").read_bytes())
    assert len(taught.walk("VEVENT")) >= 1 and "Ibu Widya" not in taught.to_ical().decode()


def test_it_writes_a_name_only_into_that_persons_calendar_on_request(tmp_path):
    data = small_plan()
    data["options"]["names_in_calendar"] = True
    plan = plan_of(data)
    schedule = solve(plan).schedule
    write_files(plan, schedule, tmp_path)
    own = Calendar.from_ical((tmp_path / "ics" / "peserta" / "P1.ics").read_bytes())
    assert "Maria Ndun" in str(own["X-WR-CALNAME"])
    others = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "P1.ics"]
    for path in others:
        assert b"Maria Ndun" not in path.read_bytes(), path


def test_it_keeps_formulas_out_of_the_spreadsheet(tmp_path):
    data = small_plan()
    data["modules"][0]["name"] = '=HYPERLINK("http://x")'
    plan = plan_of(data)
    schedule = solve(plan).schedule
    write_files(plan, schedule, tmp_path)
    text = (tmp_path / "jadwal.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert any(row[4] == data["modules"][0]["name"] for row in schedule_rows(plan, schedule))


def test_it_summarises_both_plans_for_the_report(solved):
    plan, schedule = solved
    result = summary(plan, schedule, rigid_plan(plan), {"workers": 1})
    assert result["schema"] == "tilik.jadwal/1"
    assert result["flexible"]["participants"] == 8
    assert set(result["by_unit"]) == {"pkm_oesapa", "loket"}
    assert date.fromisoformat(result["calendar"]["start"]) == date(2026, 5, 11)


def _reasons(data, lang="en") -> str:
    return " ".join(r.render(lang) for r in precheck(plan_of(data)))


def test_it_explains_a_module_only_live_online_for_an_island_without_a_connection():
    data = small_plan()
    data["modules"][0]["modes"] = ["daring"]
    assert (
        "P6 (Loket Dukcapil): module «Etika pelayanan» can only be taken live online"
        in _reasons(data)
    )


def test_it_explains_a_module_nobody_teaches():
    data = small_plan()
    data["trainers"] = [{"code": "W1", "modules": ["M1"]}]
    assert "Module «Penanganan pengaduan»: no trainer teaches it" in _reasons(data)


def test_it_explains_a_participant_with_no_time_for_a_module():
    data = small_plan()
    data["participants"][3]["unavailable"] = [
        {"from": "2026-05-11", "to": "2026-05-21"},
        "2026-05-22 pagi",
    ]
    text = _reasons(data)
    assert "P4 (Puskesmas Oesapa): module «Penanganan pengaduan» (8 JP) needs 2 consecutive" in text
    assert "free for at most 1 consecutive half-days" in text
