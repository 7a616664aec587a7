"""Finding what arrived: hashing once, and never again for a file that has not changed."""

import hashlib
import os

from ingest.landing import hash_cache
from ingest.landing import walk as landing
from ingest.landing.walk import discover


def _write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_unchanged_files_are_not_hashed_again(tmp_path, monkeypatch):
    root = tmp_path / "landing"
    _write(root / "reports" / "a.xlsx", b"first")
    _write(root / "census" / "b.csv", b"second")
    cache = tmp_path / "wh" / "landing_hashes.parquet"
    first = discover(root, cache)
    assert {a.relpath: a.sha256 for a in first} == {
        "reports/a.xlsx": hashlib.sha256(b"first").hexdigest(),
        "census/b.csv": hashlib.sha256(b"second").hexdigest(),
    }
    assert cache.exists()

    read = []
    monkeypatch.setattr(landing, "file_sha256", lambda p: read.append(p) or "x")
    assert discover(root, cache) == first
    assert read == []  # nothing was read again


def test_a_rewritten_file_is_hashed_again_even_with_the_same_size_and_time(tmp_path):
    root = tmp_path / "landing"
    path = _write(root / "reports" / "a.xlsx", b"AAAA")
    cache = tmp_path / "landing_hashes.parquet"
    before = discover(root, cache)[0]
    stat = path.stat()
    path.write_bytes(b"BBBB")  # same size …
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # … and the old modification time
    after = discover(root, cache)[0]
    assert before.sha256 == hashlib.sha256(b"AAAA").hexdigest()
    assert after.sha256 == hashlib.sha256(b"BBBB").hexdigest()  # the change time gave it away


def test_a_damaged_cache_only_costs_a_rehash(tmp_path):
    root = tmp_path / "landing"
    _write(root / "reports" / "a.xlsx", b"x")
    cache = _write(tmp_path / "landing_hashes.parquet", b"not parquet")
    assert discover(root, cache)[0].sha256 == hashlib.sha256(b"x").hexdigest()


def test_a_name_that_is_not_utf8_is_hashed_cached_and_shown_as_windows_1258(tmp_path):
    """A name out of a Windows zip archive (Windows-1258 bytes) once stopped the whole load
    when the hash cache was written; now it is read, cached and shown as text."""
    import os

    root, cache = tmp_path / "landing", tmp_path / "cache.parquet"
    folder = root / "reports"
    folder.mkdir(parents=True)
    name = os.fsdecode(b"b\xe1o_c\xe1o.xlsx")
    (folder / name).write_bytes(b"x")
    first = discover(root, cache)
    assert [a.relpath for a in first] == ["reports/báo_cáo.xlsx"]
    assert first[0].path.exists() and cache.exists()
    assert discover(root, cache) == first


def test_links_are_listed_never_followed(tmp_path):
    import os

    root = tmp_path / "landing"
    (root / "census").mkdir(parents=True)
    (root / "reports").mkdir()
    (root / "reports" / "that.xlsx").write_bytes(b"real")
    os.symlink("/etc/passwd", root / "census" / "x.csv")
    os.symlink("/etc", root / "reports" / "thu_muc")
    os.symlink("that.xlsx", root / "reports" / "this.xlsx")
    found = {a.relpath: a for a in discover(root)}
    assert found["census/x.csv"].link_to == "/etc/passwd" and found["census/x.csv"].size == 0
    assert found["reports/thu_muc"].link_to == "/etc"
    assert found["reports/this.xlsx"].link_to == "that.xlsx"
    assert found["reports/that.xlsx"].link_to is None
    assert not any(r.startswith("reports/thu_muc/") for r in found)  # the folder link is not walked


def test_two_warehouses_in_one_folder_keep_apart(tmp_path):
    from ingest.config import Paths

    a = Paths(tmp_path / "landing_a", tmp_path / "work" / "wh_a.duckdb")
    b = Paths(tmp_path / "landing_b", tmp_path / "work" / "wh_b.duckdb")
    for zone in ("root", "raw", "validated", "quarantine", "feedback", "serving"):
        assert getattr(a, zone) != getattr(b, zone)
        assert not getattr(a, zone).is_relative_to(b.root) and not getattr(b, zone).is_relative_to(a.root)
    assert a.serving == tmp_path / "work" / "wh_a" / "serving"


def test_a_few_new_files_are_cached_beside_the_cache_not_by_rewriting_it(tmp_path, monkeypatch):
    """A national cache holds a quarter of a million files: a run that brought fifty
    writes those fifty alone (a delta); every later walk reads the cache and its deltas,
    and after MAX_CACHE_DELTAS runs the cache is written whole again."""
    root = tmp_path / "landing"
    _write(root / "reports" / "a.xlsx", b"a")
    cache = tmp_path / "landing_hashes.parquet"
    discover(root, cache)
    whole = cache.read_bytes()
    _write(root / "reports" / "b.xlsx", b"b")
    discover(root, cache)
    assert cache.read_bytes() == whole  # not rewritten
    assert [p.name for p in hash_cache.deltas(cache)] == ["landing_hashes.delta-0001.parquet"]

    read = []
    real = landing.file_sha256
    monkeypatch.setattr(landing, "file_sha256", lambda p: read.append(p) or real(p))
    assert {a.relpath: a.sha256 for a in discover(root, cache)} == {
        "reports/a.xlsx": hashlib.sha256(b"a").hexdigest(),
        "reports/b.xlsx": hashlib.sha256(b"b").hexdigest(),
    }
    assert read == []  # both came from the cache and its delta

    monkeypatch.setattr(hash_cache, "MAX_CACHE_DELTAS", 2)
    _write(root / "reports" / "c.xlsx", b"c")
    discover(root, cache)  # a second delta
    _write(root / "reports" / "d.xlsx", b"d")
    discover(root, cache)  # the limit: the cache is written whole, the deltas go
    assert hash_cache.deltas(cache) == [] and cache.read_bytes() != whole
    read.clear()
    assert len(discover(root, cache)) == 4 and read == []


def test_the_walk_says_once_when_it_meets_something_new(tmp_path):
    """The run starts its parsing worker (GX takes seconds to import) as soon as the walk
    sees something new — a folder changed since the last walk, early in the walk, or a file
    rewritten in place, at the hashing — and never on a run with nothing new."""
    root = tmp_path / "landing"
    for name in "abc":
        _write(root / "reports" / "x" / f"{name}.xlsx", name.encode())
    _write(root / "reports" / "y" / "e.xlsx", b"e")
    cache = tmp_path / "landing_hashes.parquet"
    calls = []

    def walk():
        calls.clear()
        discover(root, cache, on_unknown=lambda: calls.append(1))
        return calls

    assert walk() == [1]  # three unknown files, one call
    assert walk() == []  # nothing new
    assert walk() == []  # still nothing: the last walk's time is kept
    _write(root / "reports" / "x" / "d.xlsx", b"d")
    assert walk() == [1]
    assert walk() == []
    before = (root / "reports" / "y").stat().st_mtime_ns
    (root / "reports" / "y" / "e.xlsx").write_bytes(b"E")  # in place: no folder changes
    assert (root / "reports" / "y").stat().st_mtime_ns == before
    assert walk() == [1]  # found at the hashing
    assert walk() == []
    (root / "reports" / "x" / "a.xlsx").unlink()  # a folder changed, nothing to read
    assert walk() == [1]
    assert walk() == []


def test_received_at_is_the_time_utcfromtimestamp_gives_to_the_microsecond():
    """The walk turns modification times into timestamps on whole columns; they must be the
    values datetime.utcfromtimestamp(st_mtime) gave per file (rounded half to even from the
    float seconds), or a warehouse loaded before would see its files' times move."""
    import random
    from datetime import datetime

    rng = random.Random(12)
    times = [rng.randrange(0, 2_000_000_000 * 10**9) for _ in range(20_000)]
    times += [1_733_494_000 * 10**9 + n for n in (0, 499, 500, 501, 999_999_499, 999_999_500, 999_999_999)]
    times += [t - t % 1000 + 500 for t in times[:5000]]  # half a microsecond: the ties
    got = landing._utc_micros(__import__("pyarrow").array(times)).to_pylist()
    expected = [datetime.utcfromtimestamp((t // 10**9) + (t % 10**9) * 1e-9) for t in times]
    assert got == expected
