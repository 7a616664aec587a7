"""Finding what arrived: hashing once, and never again for a file that has not changed."""

import hashlib
import os

from ingest import landing
from ingest.landing import discover


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
        "census/b.csv": hashlib.sha256(b"second").hexdigest()}
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
