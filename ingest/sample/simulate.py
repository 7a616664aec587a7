"""Plausible numbers for the schools of a commune over one school year.

A commune's children are simulated by single year of age; each age group is enrolled at
a rate near the district's targets (some communes fall short, as in real reports) and
shared among the commune's schools of the matching level. Grades, dropouts, attendance,
assessment, nutrition, staff and facilities follow from there. The census denominators
come from the same simulation, so rates land where real mountain districts report them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from ingest.sample.schools import School

PERIOD_DAYS = {"dau_nam": 22, "giua_nam": 75, "cuoi_nam": 80}  # school days in the period


@dataclass
class GradeYear:
    """One grade of one school over a year: the state at the start and what happens after."""

    grade: str
    ages: dict[int, int]  # pupils by age at the start of the year
    female: int
    ethnic_minority: int
    disabled: int
    classes: int
    dropouts_mid: int = 0
    dropouts_end: int = 0
    transfers: int = 0  # net pupils moved in (+) or out (-) by the end of the year
    absence_rate: float = 0.02
    repeaters: int = 0
    after_resit: int = 0

    @property
    def enrolled_start(self) -> int:
        return sum(self.ages.values())

    def enrolled(self, period: str) -> int:
        if period == "dau_nam":
            return self.enrolled_start
        if period == "giua_nam":
            return self.enrolled_start - self.dropouts_mid + self.transfers // 2
        return self.enrolled_start - self.dropouts_end + self.transfers

    def dropouts(self, period: str) -> int:
        return {"dau_nam": 0, "giua_nam": self.dropouts_mid, "cuoi_nam": self.dropouts_end}[period]


@dataclass
class SchoolYear:
    school: School
    grades: dict[str, GradeYear] = field(default_factory=dict)
    seed: int = 0


@dataclass
class CommuneYear:
    population: dict[int, int]  # by single year of age 0-18
    female: dict[int, int]
    schools: list[SchoolYear]


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """Split `total` into len(weights) non-negative integers proportional to weights."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [math.floor(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _binomial(n: int, p: float, rng: random.Random) -> int:
    if n <= 0 or p <= 0:
        return 0
    if n * p < 30:
        return sum(1 for _ in range(n) if rng.random() < p)
    return max(0, min(n, round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))))


def _grade_of_age(age: int) -> str | None:
    if age <= 2:
        return "nha_tre"
    if age <= 5:
        return f"mau_giao_{age}"
    if age <= 17:
        return f"lop_{age - 5}"
    return None


def simulate_commune(schools: list[School], rng: random.Random) -> CommuneYear:
    """Children by age, their enrolment, and each school's grades at the start of the year."""
    # a commune's size and a school's share of it are stable from year to year
    urban = schools[0].commune.name.startswith(("Phường", "Thị trấn"))
    cohort = random.Random(f"cohort-{schools[0].commune.code}").randint(*((150, 380) if urban else (60, 190)))
    favourable = any(s.area == "Thuận lợi" for s in schools)
    population, female = {}, {}
    for age in range(19):
        population[age] = max(10, round(cohort * rng.uniform(0.92, 1.08)))
        female[age] = round(population[age] * rng.uniform(0.46, 0.51))
    shortfall = rng.random() < 0.3  # some communes miss the mobilisation targets
    rates = {}
    for age in range(19):
        if age <= 2:
            rates[age] = rng.uniform(0.22, 0.34)
        elif age <= 5:
            rates[age] = rng.uniform(0.985, 0.998) if shortfall else rng.uniform(0.998, 1.0)
        elif age <= 10:
            rates[age] = rng.uniform(0.99, 0.997) if shortfall else rng.uniform(0.997, 1.0)
        elif age <= 14:
            rates[age] = rng.uniform(0.92, 0.985) if not favourable else rng.uniform(0.96, 0.995)
        elif age <= 17:
            rates[age] = rng.uniform(0.55, 0.8)  # upper secondary, where the commune has a THPT
        else:
            rates[age] = 0.0
    enrolled = {age: min(population[age], round(population[age] * rates[age])) for age in rates}

    result = CommuneYear(population, female, [SchoolYear(s, seed=rng.randrange(1 << 30)) for s in schools])
    serving = {
        "mn": [sy for sy in result.schools if sy.school.level == "Mầm non"],
        "th": [sy for sy in result.schools if "lop_1" in sy.school.grades],
        "thcs": [sy for sy in result.schools if "lop_6" in sy.school.grades],
        "thpt": [sy for sy in result.schools if "lop_10" in sy.school.grades],
    }
    weights = {id(sy): random.Random(f"weight-{sy.school.code}").uniform(0.6, 1.4) for sy in result.schools}
    for age, count in enrolled.items():
        group = (
            "mn"
            if age <= 5
            else "th"
            if age <= 10
            else "thcs"
            if age <= 14
            else "thpt"
            if age <= 17
            else None
        )
        if group is None or not serving[group] or count == 0:
            continue
        targets = serving[group]
        for sy, n in zip(targets, _split(count, [weights[id(t)] for t in targets], rng), strict=True):
            grade = _grade_of_age(age)
            # a few pupils are a year older than their grade
            late = _binomial(n, 0.03, rng) if age >= 7 and group != "mn" else 0
            if late and _grade_of_age(age - 1) in sy.school.grades:
                _add(sy, _grade_of_age(age - 1), age, late)
                n -= late
            if n:
                _add(sy, grade, age, n)
    for sy in result.schools:
        _fill_school(sy, random.Random(sy.seed))
    return result


def _add(sy: SchoolYear, grade: str, age: int, n: int) -> None:
    g = sy.grades.setdefault(grade, GradeYear(grade, {}, 0, 0, 0, 0))
    g.ages[age] = g.ages.get(age, 0) + n


def _fill_school(sy: SchoolYear, rng: random.Random) -> None:
    ethnic_share = 0.97 if sy.school.area == "ĐBKK" else rng.uniform(0.55, 0.8)
    dropout_risk = rng.choice([0.0, 0.5, 1.0, 1.0, 1.5, 3.0])
    for g in sy.grades.values():
        n = g.enrolled_start
        preschool = g.grade.startswith(("nha_tre", "mau_giao"))
        g.female = _binomial(n, rng.uniform(0.46, 0.51), rng)
        g.ethnic_minority = _binomial(n, ethnic_share, rng)
        g.disabled = _binomial(n, 0.006, rng)
        g.classes = max(1, math.ceil(n / (25 if preschool else 32)))
        number = int(g.grade.split("_")[1]) if g.grade.startswith("lop_") else 0
        if preschool:
            p_drop, g.absence_rate = 0.0, rng.uniform(0.015, 0.045)
        elif number <= 5:
            p_drop, g.absence_rate = 0.00015 * dropout_risk, rng.uniform(0.004, 0.02)
        else:
            p_drop, g.absence_rate = 0.0045 * dropout_risk, rng.uniform(0.025, 0.075)
        g.dropouts_mid = _binomial(n, p_drop * 0.45, rng)
        g.dropouts_end = g.dropouts_mid + _binomial(n - g.dropouts_mid, p_drop * 0.55, rng)
        g.transfers = rng.choice([0, 0, 0, 1, -1, 2, -2]) if n > 20 else 0
        if not preschool:
            end = n - g.dropouts_end + g.transfers
            g.repeaters = _binomial(end, 0.002 if number <= 5 else 0.008, rng)
            g.after_resit = _binomial(end - g.repeaters, 0.015, rng) if number >= 6 else 0
