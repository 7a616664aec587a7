"""Closed periods (khóa sổ): their folders are checked, their files taken as recorded.

A file rewritten in place changes no folder, so it shows whether a walk looked at a
file's own stat: in an open period it is hashed again, in a closed one it is not.
"""

import hashlib
import os
import time

import pytest

from ingest.cli import main
from ingest.config import Paths
from ingest.landing.closed_periods import ClosingError, close_period, closed_folders, reopen_period
from ingest.landing.new_arrivals import landed
from ingest.landing.walk import walk_landing

CLOSED, OPEN = "reports/2023-2024/cuoi_nam", "reports/2023-2024/giua_nam"
AN_HOUR_AGO = time.time() - 3600


def _write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _age(folder):
    """Folders as the department's are: last changed well before the period is closed
    (a folder changed within two seconds of its recording is walked whole: racy)."""
    for here, dirs, _ in os.walk(folder):
        for name in [*dirs, "."]:
            os.utime(os.path.join(here, name), (AN_HOUR_AGO, AN_HOUR_AGO))


def _rewrite_in_place(path, data: bytes):
    """New content, same size and modification time: only the file's change time moves."""
    stat = path.stat()
    path.write_bytes(data)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _hashes(paths):
    return {a.relpath: a.sha256 for a in landed(paths).arrivals()}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def paths(tmp_path):
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    _write(paths.landing / CLOSED / "12" / "109" / "a.xlsx", b"AAAA")
    _write(paths.landing / CLOSED / "12" / "110" / "b.xlsx", b"BBBB")
    _write(paths.landing / OPEN / "12" / "109" / "c.xlsx", b"CCCC")
    _age(paths.landing)
    return paths


def test_a_closed_period_is_listed_as_recorded_and_an_open_one_is_walked(paths):
    before = _hashes(paths)
    closed = close_period(paths, "2023-2024", "cuoi_nam")
    kinds = closed.record["kind"].to_pylist()  # the period, its province and two districts
    assert (kinds.count("file"), kinds.count("folder")) == (2, 4)
    assert _hashes(paths) == before
    # the same rows as a walk of every file gives: paths, hashes, sizes, times
    walked = walk_landing(paths.landing).table.sort_by("relpath")
    assert landed(paths).table.sort_by("relpath").equals(walked)

    _rewrite_in_place(paths.landing / CLOSED / "12" / "109" / "a.xlsx", b"XXXX")
    _rewrite_in_place(paths.landing / OPEN / "12" / "109" / "c.xlsx", b"YYYY")
    after = _hashes(paths)
    assert after[f"{OPEN}/12/109/c.xlsx"] == _sha(b"YYYY")  # the open period: walked, hashed again
    assert after[f"{CLOSED}/12/109/a.xlsx"] == _sha(b"AAAA")  # the closed one: not looked at

    assert reopen_period(paths, "2023-2024", "cuoi_nam")
    assert _hashes(paths)[f"{CLOSED}/12/109/a.xlsx"] == _sha(b"XXXX")  # reopened: walked again
    assert not reopen_period(paths, "2023-2024", "cuoi_nam")


def test_a_file_added_to_a_closed_period_is_found_said_and_recorded_again(paths):
    close_period(paths, "2023-2024", "cuoi_nam")
    late = _write(paths.landing / CLOSED / "12" / "110" / "muon.xlsx", b"LATE")
    found = landed(paths)
    assert found.closed_changed == (CLOSED,)
    assert {a.relpath: a.sha256 for a in found.arrivals()}[f"{CLOSED}/12/110/muon.xlsx"] == _sha(b"LATE")

    # recorded again as it was walked, but racy (its folder had just changed): walked whole
    # once more, silently, and recorded again — an hour later, say
    _age(paths.landing / CLOSED)
    assert landed(paths).closed_changed == ()
    _rewrite_in_place(late, b"XXXX")
    settled = landed(paths)
    assert settled.closed_changed == ()
    # taken from the new record: the late file is there, and was not looked at again
    assert {a.relpath: a.sha256 for a in settled.arrivals()}[f"{CLOSED}/12/110/muon.xlsx"] == _sha(b"LATE")


def test_a_file_removed_or_renamed_in_a_closed_period_is_seen(paths):
    close_period(paths, "2023-2024", "cuoi_nam")
    district = paths.landing / CLOSED / "12" / "109"
    (district / "a.xlsx").rename(district / "z.xlsx")
    (paths.landing / CLOSED / "12" / "110" / "b.xlsx").unlink()
    found = landed(paths)
    assert found.closed_changed == (CLOSED,)
    assert sorted(a.relpath for a in found.arrivals()) == [f"{CLOSED}/12/109/z.xlsx", f"{OPEN}/12/109/c.xlsx"]


def test_a_folder_recorded_right_after_it_changed_is_walked_until_recorded_again(paths):
    """Racy: a file added in the same tick of the file system's clock as the recording
    would leave the folder's times as recorded. Such a folder is walked whole, silently."""
    _write(paths.landing / CLOSED / "12" / "109" / "new.xlsx", b"NNNN")  # the folder: just now
    close_period(paths, "2023-2024", "cuoi_nam")
    assert closed_folders(paths).get(os.fsencode(CLOSED)).racy
    _rewrite_in_place(paths.landing / CLOSED / "12" / "109" / "a.xlsx", b"XXXX")
    found = landed(paths)
    assert found.closed_changed == ()  # nothing to tell the department
    assert {a.relpath: a.sha256 for a in found.arrivals()}[f"{CLOSED}/12/109/a.xlsx"] == _sha(b"XXXX")


def test_a_damaged_record_only_costs_a_walk(paths):
    close_period(paths, "2023-2024", "cuoi_nam")
    record = next((paths.root / "closed_periods").glob("*.parquet"))
    record.write_bytes(b"not parquet")
    _rewrite_in_place(paths.landing / CLOSED / "12" / "109" / "a.xlsx", b"XXXX")
    assert _hashes(paths)[f"{CLOSED}/12/109/a.xlsx"] == _sha(b"XXXX")


def test_closing_says_what_is_wrong_in_vietnamese(paths, capsys):
    with pytest.raises(ClosingError, match="Năm học «2023» không hợp lệ"):
        close_period(paths, "2023", "cuoi_nam")
    with pytest.raises(ClosingError, match="Không có thư mục"):
        close_period(paths, "2022-2023", "cuoi_nam")
    args = ["--landing", str(paths.landing), "--warehouse", str(paths.warehouse)]
    assert main(["close-period", "2023-2024", "cuoi_nam", *args]) == 0
    out = capsys.readouterr().out
    assert "Đã khóa sổ kỳ cuoi_nam năm học 2023-2024: 2 tệp" in out
    assert f"Các kỳ đã khóa sổ: {CLOSED}" in out
    assert main(["close-period", "2023-24", "cuoi_nam", *args]) == 2
    assert "ghi dạng 2023-2024" in capsys.readouterr().err
    assert main(["close-period", "--reopen", "2023-2024", "cuoi_nam", *args]) == 0
    assert "Đã mở lại kỳ cuoi_nam" in capsys.readouterr().out


def test_a_closed_periods_files_carry_their_hashes(paths, monkeypatch):
    """Its record keeps each file's hash: neither the hash cache nor the file is read."""
    from ingest.landing import walk
    from ingest.landing.hash_cache import CACHE_FILE

    before = _hashes(paths)
    close_period(paths, "2023-2024", "cuoi_nam")
    (paths.root / CACHE_FILE).unlink()  # the cache lost
    read = []
    real = walk.file_sha256
    monkeypatch.setattr(walk, "file_sha256", lambda p: read.append(p.name) or real(p))
    assert _hashes(paths) == before
    assert read == ["c.xlsx"]  # the open period's file only


def test_the_hash_cache_keeps_open_periods_and_a_reopened_period_is_not_read_again(paths, monkeypatch):
    from ingest.landing import walk
    from ingest.landing.hash_cache import CACHE_FILE, read_hash_cache

    before = _hashes(paths)
    close_period(paths, "2023-2024", "cuoi_nam")
    _hashes(paths)  # the cache, written whole, drops what the record carries
    cached = read_hash_cache(paths.root / CACHE_FILE)["relpath"].to_pylist()
    assert cached == [f"{OPEN}/12/109/c.xlsx".encode()]

    read = []
    real = walk.file_sha256
    monkeypatch.setattr(walk, "file_sha256", lambda p: read.append(p.name) or real(p))
    _write(paths.landing / CLOSED / "12" / "110" / "muon.xlsx", b"LATE")
    late = _hashes(paths)  # the closed folder walked whole: its record still knows its files
    assert read == ["muon.xlsx"] and late[f"{CLOSED}/12/110/muon.xlsx"] == _sha(b"LATE")

    read.clear()
    assert reopen_period(paths, "2023-2024", "cuoi_nam")
    assert _hashes(paths) == {**before, f"{CLOSED}/12/110/muon.xlsx": _sha(b"LATE")}
    assert read == []  # the record's hashes went back to the cache
